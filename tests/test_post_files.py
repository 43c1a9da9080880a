"""Finding post files: which entries a walk takes, in which order, with which stat."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.posts import PostFile, find_post_files, post_file_runs
from bot.posts.files import FileStat
from bot.posts.shared_walk import SharedWalk
from bot.posts.shared_walk import shares as walk_shares


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def names(root: Path) -> list[str]:
    return [os.path.relpath(file.path, root) for file in find_post_files(root)]


def test_depth_first_in_name_order_with_directories_where_their_names_fall(
    tmp_path: Path,
) -> None:
    for name in ("b.md", "a/z.md", "a/c/d.md", "a/b.md", "c.markdown", "aa.md", "a.md"):
        touch(tmp_path / name)
    assert names(tmp_path) == [
        "a/b.md",
        "a/c/d.md",
        "a/z.md",
        "a.md",
        "aa.md",
        "b.md",
        "c.markdown",
    ]


def test_hidden_entries_and_other_suffixes_are_skipped_upper_case_suffixes_taken(
    tmp_path: Path,
) -> None:
    for name in (".draft.md", ".git/x.md", "notes.txt", "image.png", "LOUD.MD", "ok.md"):
        touch(tmp_path / name)
    assert names(tmp_path) == ["LOUD.MD", "ok.md"]


def test_a_link_to_a_file_is_taken_with_its_target_s_stat_a_link_to_a_directory_is_not(
    tmp_path: Path,
) -> None:
    target = touch(tmp_path / "elsewhere" / "target.txt", "twelve bytes")
    outside = touch(tmp_path / "outside" / "inner.md")
    root = tmp_path / "posts"
    root.mkdir()
    (root / "linked.md").symlink_to(target)
    (root / "dangling.md").symlink_to(tmp_path / "nothing.md")
    (root / "folder").symlink_to(outside.parent, target_is_directory=True)
    [file] = find_post_files(root)
    stat = target.stat()
    assert file == PostFile(str(root / "linked.md"), stat.st_size, stat.st_mtime_ns)


def test_a_named_file_is_taken_whatever_its_suffix(tmp_path: Path) -> None:
    path = touch(tmp_path / "post.txt", "hello")
    stat = path.stat()
    assert list(find_post_files(path)) == [PostFile(str(path), 5, stat.st_mtime_ns)]


def test_runs_hold_what_find_post_files_finds_as_plain_equal_tuples(tmp_path: Path) -> None:
    for name in ("a.md", "b/c.md", "b/d.md", "e.md"):
        touch(tmp_path / name)
    runs = list(post_file_runs(tmp_path))
    assert [len(run) for run in runs] == [1, 2, 1]  # broken where the walk goes down
    files = [file for run in runs for file in run]
    assert files == list(find_post_files(tmp_path))
    assert {hash(file) for file in files} == {hash(file) for file in find_post_files(tmp_path)}


def test_a_missing_root_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(find_post_files(tmp_path / "nowhere"))


def tree_of_posts(root: Path) -> None:
    for folder in ("", "2025/", "2025/12/", "2026/", "drafts/"):
        for number in range(12):
            touch(root / f"{folder}post-{number:02}.md", "x" * number)
    touch(root / "2026" / "notes.txt")


@pytest.mark.parametrize("shares", [2, 3])
def test_the_shares_of_a_walk_find_every_file_once_each_in_the_walk_s_order(
    tmp_path: Path, shares: int
) -> None:
    tree_of_posts(tmp_path)
    whole = [file for run in post_file_runs(tmp_path) for file in run]
    parts = [
        [file for run in post_file_runs(tmp_path, share) for file in run]
        for share in walk_shares(shares)
    ]
    assert all(parts), "every share has some of sixty files"
    assert sorted(file for part in parts for file in part) == sorted(whole)
    for part in parts:
        assert part == [file for file in whole if file in part]


def shared_walk_files(root: Path, processes: int) -> list[FileStat]:
    with SharedWalk(root, processes) as walk:
        return [file for run in walk.runs() for file in run]


def test_a_shared_walk_finds_what_one_process_finds(tmp_path: Path) -> None:
    tree_of_posts(tmp_path)
    whole = [file for run in post_file_runs(tmp_path) for file in run]
    shared = shared_walk_files(tmp_path, 2)
    assert len(shared) == len(whole) == 60
    assert sorted(shared) == sorted(whole)


def test_a_directory_named_like_a_post_is_walked_whole_by_one_share(tmp_path: Path) -> None:
    tree_of_posts(tmp_path / "odd.md")
    touch(tmp_path / "plain.md")
    whole = [file for run in post_file_runs(tmp_path) for file in run]
    assert len(whole) == 61
    assert sorted(shared_walk_files(tmp_path, 3)) == sorted(whole)


def test_a_shared_walk_of_a_missing_or_empty_root(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        shared_walk_files(tmp_path / "nowhere", 2)
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    assert shared_walk_files(tmp_path / "empty", 2) == []


@pytest.mark.parametrize("helper", ["/bin/false", "/bin/echo", "/nonexistent/python"])
def test_a_shared_walk_whose_other_process_fails_walks_its_share_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, helper: str
) -> None:
    tree_of_posts(tmp_path)
    whole = [file for run in post_file_runs(tmp_path) for file in run]
    monkeypatch.setattr(sys, "executable", helper)
    with caplog.at_level(logging.WARNING):
        assert sorted(shared_walk_files(tmp_path, 3)) == sorted(whole)
    warnings = [r for r in caplog.records if "walking its share here" in r.getMessage()]
    assert len(warnings) == 2, "one for each helper"


def test_a_walk_helper_of_another_version_refuses_to_walk(tmp_path: Path) -> None:
    tree_of_posts(tmp_path)
    command = [sys.executable, "-m", "bot.posts.shared_walk", "0", str(tmp_path), "1", "3", "3"]
    finished = subprocess.run(command, capture_output=True, check=False)
    assert finished.returncode != 0 and finished.stdout == b""
    assert b"this shared walk writes version" in finished.stderr

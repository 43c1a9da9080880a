"""Finding post files: which entries a walk takes, in which order, with which stat."""

import os
from pathlib import Path

import pytest

from bot.posts import PostFile, find_post_files, post_file_runs


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

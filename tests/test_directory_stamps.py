"""The watcher's cheap look between full scans: directories' modification times show files
added, removed or renamed anywhere in the tree (an in-place edit is left to the full scans)."""

import os
from pathlib import Path

from bot.posts.files import MISSING, directories_changed, directory_stamps
from tests.support.factory import write_post


def _age(path: Path) -> None:
    """Set a directory's time into the past, so a change made within the same clock tick as
    taking the stamps still shows (file systems keep times at a tick's resolution)."""
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_a_new_file_in_a_nested_directory_shows(posts_dir: Path) -> None:
    write_post(posts_dir / "2026" / "11", "one.md")
    _age(posts_dir / "2026" / "11")
    stamps = directory_stamps(posts_dir)
    assert not directories_changed(stamps)
    write_post(posts_dir / "2026" / "11", "two.md")
    assert directories_changed(stamps)


def test_new_and_removed_directories_show(posts_dir: Path) -> None:
    (posts_dir / "a").mkdir()
    _age(posts_dir)
    stamps = directory_stamps(posts_dir)
    (posts_dir / "b").mkdir()
    assert directories_changed(stamps)
    _age(posts_dir)
    stamps = directory_stamps(posts_dir)
    (posts_dir / "a").rmdir()
    assert directories_changed(stamps)


def test_an_edit_in_place_and_hidden_directories_do_not_show(posts_dir: Path) -> None:
    path = write_post(posts_dir, "one.md")
    (posts_dir / ".git").mkdir()
    _age(posts_dir)
    stamps = directory_stamps(posts_dir)
    assert set(stamps) == {str(posts_dir)}
    path.write_text(path.read_text() + "\nMore.\n")
    write_post(posts_dir / ".git", "ignored.md")
    assert not directories_changed(stamps)


def test_a_missing_directory_shows_when_it_appears(tmp_path: Path) -> None:
    missing = tmp_path / "later"
    stamps = directory_stamps(missing)
    assert stamps == {str(missing): MISSING}
    assert not directories_changed(stamps)
    missing.mkdir()
    assert directories_changed(stamps)

"""Finding post files on disk and reading their bytes within the size limit."""

import os
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISDIR
from typing import NamedTuple

from bot import messages
from bot.posts.errors import PostError

MAX_POST_BYTES = 1024 * 1024
POST_SUFFIXES = (".md", ".markdown")
MISSING = -1  # the stamp of a directory that is not there


class PostFile(NamedTuple):
    """A candidate post file, with the stat fields that tell whether it changed. A tuple, as
    ingestion sends thousands a second to its worker processes."""

    path: str  # absolute
    size: int
    mtime_ns: int


def find_post_files(root: Path) -> Iterator[PostFile]:
    """A file given by name is taken whatever its suffix; a directory is searched recursively for
    markdown files, skipping hidden entries. Raises FileNotFoundError for a missing root."""
    if root.is_dir():
        yield from _walk(os.path.abspath(root))
    else:
        stat = root.stat()
        yield PostFile(os.path.abspath(root), stat.st_size, stat.st_mtime_ns)


def _walk(top: str) -> Iterator[PostFile]:
    """Depth first, in name order, as one generator (not one per directory, which every file
    would pass through on its way out)."""
    stack = [iter(_entries(top))]
    while stack:
        for entry in stack[-1]:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(iter(_entries(entry.path)))
                break
            if entry.name.lower().endswith(POST_SUFFIXES) and entry.is_file():
                stat = entry.stat()
                yield PostFile(entry.path, stat.st_size, stat.st_mtime_ns)
        else:
            stack.pop()


def _entries(directory: str) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as scan:
        return sorted(scan, key=lambda entry: entry.name)


def directory_stamps(root: Path) -> dict[str, int]:
    """The modification time (ns) of ``root`` and of every directory under it, hidden ones
    skipped; -1 for a root that is not a directory. Adding, removing or renaming a file changes
    its directory's time, so comparing these finds new files without a stat of every file."""
    if not root.is_dir():
        return {str(root): MISSING}
    stamps: dict[str, int] = {}
    pending = [os.path.abspath(root)]
    while pending:
        directory = pending.pop()
        stamps[directory] = os.stat(directory).st_mtime_ns
        with os.scandir(directory) as scan:
            pending += [
                entry.path
                for entry in scan
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
            ]
    return stamps


def directories_changed(stamps: dict[str, int]) -> bool:
    """Whether any directory in ``stamps`` was modified, removed or created since."""
    for directory, mtime_ns in stamps.items():
        try:
            info = os.stat(directory)
        except OSError:
            info = None
        current = info.st_mtime_ns if info is not None and S_ISDIR(info.st_mode) else MISSING
        if current != mtime_ns:
            return True
    return False


def read_post_bytes(path: str | Path) -> bytes:
    """A post file's bytes; a file over the size limit is refused before it is read. Read through
    a bare descriptor: a buffered file object costs as much again as the reading itself."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            return _read_within_limit(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise PostError(messages.UNREADABLE_FILE.format(error=error.strerror or error)) from error


def _read_within_limit(descriptor: int) -> bytes:
    size = os.fstat(descriptor).st_size
    if size > MAX_POST_BYTES:
        raise PostError(messages.TOO_LARGE.format(size=size, limit=MAX_POST_BYTES))
    # One byte more than the stat says, so a read that comes back short has reached the end;
    # a file that grew since the stat is read on, to its end or past the limit.
    chunks: list[bytes] = []
    total = 0
    wanted = size + 1
    while True:
        chunk = os.read(descriptor, wanted)
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_POST_BYTES:
            raise PostError(messages.TOO_LARGE.format(size=total, limit=MAX_POST_BYTES))
        if len(chunk) < wanted:
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        wanted = MAX_POST_BYTES + 1 - total

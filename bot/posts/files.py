"""Finding post files on disk and reading their bytes within the size limit."""

import os
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import NamedTuple
from zlib import crc32

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


FileStat = tuple[str, int, int]
"""A ``PostFile``'s fields as a plain tuple, equal to it and hashing alike: a re-scan makes a
million of them and builds a ``PostFile`` only for the few that changed."""


def find_post_files(root: Path) -> Iterator[PostFile]:
    """A file given by name is taken whatever its suffix; a directory is searched recursively for
    markdown files, skipping hidden entries. Raises FileNotFoundError for a missing root."""
    for run in post_file_runs(root):
        yield from map(PostFile._make, run)


class Share(NamedTuple):
    """A part of a walk that several processes share, each stat-ing its own files. A post
    file falls to the share its name's CRC-32 says (``first <= crc % of < end``), which every
    process computes alike (``hash`` of a string differs between processes) and which no
    listing taken at another moment changes, so no file is found twice, or missed by all while
    it is there. Every share lists every directory and stats the names without a post suffix,
    which tells it the directories; a directory named like a post file falls to its name's
    share, which walks it whole."""

    first: int
    end: int
    of: int

    def takes(self, name: str) -> bool:
        return self.first <= crc32(name.encode("utf-8", "surrogateescape")) % self.of < self.end


_Below = tuple[str, Share | None]  # a directory to walk, and the share of it


def post_file_runs(root: Path, share: Share | None = None) -> Iterator[list[FileStat]]:
    """What ``find_post_files`` finds, in the same order, a run of files at a time (a
    directory's files up to its next subdirectory), so that a caller's work per file can be
    done on whole runs. A file gone between a directory's listing and its stat is left out.
    With ``share``, only the files of a directory root that fall to that share."""
    if root.is_dir():
        yield from _walk(os.path.abspath(root), share)
    else:
        stat = root.stat()
        yield [(os.path.abspath(root), stat.st_size, stat.st_mtime_ns)]


def root_prefix(root: Path) -> str:
    """What every path a walk of the directory ``root`` finds begins with."""
    return os.path.join(os.path.abspath(root), "")


def _walk(top: str, share: Share | None) -> Iterator[list[FileStat]]:
    """Depth first, in name order, as one generator. A stat of every file is most of a re-scan's
    time, so each directory is listed by name alone and its entries stat-ed relative to the
    open directory (where the system allows): no path is looked up again from the root, and
    no ``DirEntry`` or ``Path`` is made."""
    stack = [_Listing((top, share))]
    try:
        while stack:
            run, below = stack[-1].files_up_to_a_directory()
            if run:
                yield run  # before the directory below is opened, which may fail
            if below is None:
                stack.pop().close()
            else:
                stack.append(_Listing(below))
    finally:
        for listing in stack:
            listing.close()


class _Listing:
    """One directory being walked: its names in order, and where the walk is in them."""

    def __init__(self, below: _Below) -> None:
        directory, self.share = below
        self.prefix = os.path.join(directory, "")
        self.fd = os.open(directory, _DIRECTORY_FLAGS) if _RELATIVE_STAT else None
        try:
            listed = os.listdir(self.prefix if self.fd is None else self.fd)
            self.names = iter(sorted(name for name in listed if not name.startswith(".")))
        except BaseException:
            self.close()
            raise
        # What is stat-ed: a name in the open directory, or the whole path.
        self.base = "" if _RELATIVE_STAT else self.prefix

    def files_up_to_a_directory(self) -> tuple[list[FileStat], _Below | None]:
        """The post files from here up to the next subdirectory, and that subdirectory with
        the share of it to walk (None once the listing is done). Inlined: this loop runs once
        per file on disk."""
        run: list[FileStat] = []
        prefix, base, fd, stat, suffixes = self.prefix, self.base, self.fd, os.stat, POST_SUFFIXES
        share = self.share
        for name in self.names:
            post = name.lower().endswith(suffixes)
            if post and share is not None and not share.takes(name):
                continue  # another share's, a directory too
            try:
                info = stat(base + name, dir_fd=fd, follow_symlinks=False)
                if S_ISDIR(info.st_mode):
                    return run, (prefix + name, None if post else share)
                if not post:
                    continue
                if S_ISLNK(info.st_mode):  # a link to a file is taken, one to a directory not
                    info = stat(base + name, dir_fd=fd)
                if S_ISREG(info.st_mode):
                    run.append((prefix + name, info.st_size, info.st_mtime_ns))
            except FileNotFoundError:
                continue  # gone since the listing (or a dangling link): not there
        return run, None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


_RELATIVE_STAT = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


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

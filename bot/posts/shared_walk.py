"""A walk of a large directory shared between this process and one more per core.

A re-scan of a million unchanged files is a million ``stat`` calls, each about half system time
and half building its result: one core's work, about 4 s. Each process takes a ``Share`` of the
files (every process still lists every directory, which costs less) and the others hand back
theirs packed, a piece at a time through a temporary file: one string of paths relative to the
root and two arrays of numbers, which unpack in a fraction of what pickling tuples would cost.

The other processes are started first, so they walk while this one loads what it compares the
files with, and they take twice this one's share: this one then unpacks theirs. They run this
module (``python -m bot.posts.shared_walk VERSION ROOT FIRST END OF``), which imports little,
rather than through ``multiprocessing``, which would import the caller's whole ``__main__``
(all of newsbot) in each before it walked a file. A process that cannot be started, fails, or
writes what this one does not understand has its share walked here instead.
"""

import logging
import os
import pickle
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bot.posts.files import FileStat, Share, post_file_runs, root_prefix

log = logging.getLogger(__name__)

Packed = tuple[str, bytes, bytes]  # the relative paths joined by NUL, the sizes, the mtimes
_SEPARATOR = "\0"  # no path holds it
_PIECE = 5000  # files a packed piece, at least: a run of the walk is not split
_OTHERS_WEIGHT = 2  # another process's share, in this one's
# A helper is told this, and its output starts with it; it refuses another. A running newsbot
# upgraded in place starts helpers from the new code on disk, and an output read as another
# version wrote it would leave files unfound: counted as gone, their posts removed (seen when
# this module changed under a running benchmark).
_HEADER = ("newsbot shared walk", 2)


def shares(processes: int) -> list[Share]:
    """This process's share first, then one for each other process, twice as large."""
    of = 1 + _OTHERS_WEIGHT * (processes - 1)
    others = [Share(first, first + _OTHERS_WEIGHT, of) for first in range(1, of, _OTHERS_WEIGHT)]
    return [Share(0, 1, of), *others]


class SharedWalk:
    """The files of ``post_file_runs(root)``, walked by ``processes`` processes; the others
    start at once. ``runs`` gives this one's share a run at a time, then the others'. The order
    within the tree is lost, not the files. Closing it (or leaving its ``with``) stops the
    others."""

    def __init__(self, root: Path, processes: int) -> None:
        self.root = root
        shared = processes > 1 and root.is_dir()
        self.shares = shares(processes) if shared else []
        self.helpers = [_Helper.start(root, share) for share in self.shares[1:]]

    def runs(self) -> Iterator[list[FileStat]]:
        """Raises what the walk of any share raises."""
        if not self.shares:
            yield from post_file_runs(self.root)
            return
        yield from post_file_runs(self.root, self.shares[0])
        prefix = root_prefix(self.root)
        for share, helper in zip(self.shares[1:], self.helpers, strict=True):
            if helper is not None and helper.finished():
                yield from helper.runs(prefix)
            else:
                yield from post_file_runs(self.root, share)

    def close(self) -> None:
        for helper in self.helpers:
            if helper is not None:
                helper.close()

    def __enter__(self) -> "SharedWalk":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class _Helper:
    """Another process walking a share. It writes its files to a temporary file as it goes, a
    packed piece at a time, ending with ``None``: neither process holds them all unpacked,
    and it never waits for this one to read."""

    def __init__(self, process: subprocess.Popen[bytes], output: IO[bytes], errors: IO[bytes]):
        self.process, self.output, self.errors = process, output, errors

    @classmethod
    def start(cls, root: Path, share: Share) -> "_Helper | None":
        command = [sys.executable, "-m", __name__, str(_HEADER[1]), str(root), *map(str, share)]
        environment = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
        # Kept open by the helper until ``close``: the process writes into them meanwhile.
        output = tempfile.TemporaryFile()  # noqa: SIM115
        errors = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            process = subprocess.Popen(command, stdout=output, stderr=errors, env=environment)
        except OSError as error:
            output.close()
            errors.close()
            log.warning("could not start a walk helper (%s); walking its share here", error)
            return None
        return cls(process, output, errors)

    def finished(self) -> bool:
        """Whether the process ended well and its output is whole (read through once: a
        fraction of unpacking it); if not, a warning says how, and its share is this
        process's to walk."""
        status = self.process.wait()
        if status != 0:
            self.errors.seek(0)
            said = self.errors.read().decode(errors="replace").strip().splitlines()[-1:]
            trouble = f"exit status {status}, said {said[0] if said else 'nothing'}"
        elif not self._whole():
            trouble = "its output is damaged"
        else:
            return True
        log.warning("a walk helper failed (%s); walking its share here", trouble)
        return False

    def runs(self, prefix: str) -> Iterator[list[FileStat]]:
        """The files it found, their paths under ``prefix``; raises the ``OSError`` it met."""
        for piece in self._pieces():
            if isinstance(piece, OSError):
                raise piece
            yield unpacked(prefix, piece)

    def _whole(self) -> bool:
        try:
            for _ in self._pieces():
                pass
        except _DamagedOutputError:
            return False
        return True

    def _pieces(self) -> Iterator[Packed | OSError]:
        """Its output's pieces, after ``_HEADER`` and up to the ``None`` that ends them."""
        self.output.seek(0)
        if self._next() != _HEADER:
            raise _DamagedOutputError
        while (piece := self._next()) is not None:
            yield piece

    def _next(self) -> Any:
        """The next object in its output: a piece, an ``OSError``, ``None`` or the header."""
        try:
            return pickle.load(self.output)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
            raise _DamagedOutputError from error

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.output.close()
        self.errors.close()


class _DamagedOutputError(Exception):
    """A helper's output that is not what this code writes, or ends before its ``None``."""


def packed_pieces(root: Path, share: Share) -> Iterator[Packed]:
    """The files of ``share`` under the directory ``root``, packed to cross to another
    process, about ``_PIECE`` at a time."""
    skip = len(root_prefix(root))
    piece: list[FileStat] = []
    for run in post_file_runs(root, share):
        piece += run
        if len(piece) >= _PIECE:
            yield _packed(piece, skip)
            piece = []
    if piece:
        yield _packed(piece, skip)


def _packed(files: list[FileStat], skip: int) -> Packed:
    paths, sizes, mtimes = zip(*files, strict=True)
    joined = _SEPARATOR.join(path[skip:] for path in paths)
    return joined, array("q", sizes).tobytes(), array("q", mtimes).tobytes()


def unpacked(prefix: str, packed: Packed) -> list[FileStat]:
    """The files of ``packed``, their paths under ``prefix``."""
    joined, size_bytes, mtime_bytes = packed
    sizes, mtimes = array("q"), array("q")
    sizes.frombytes(size_bytes)
    mtimes.frombytes(mtime_bytes)
    paths = [prefix + path for path in joined.split(_SEPARATOR)]
    return list(zip(paths, sizes, mtimes, strict=True))


def _main(arguments: list[str]) -> None:
    version, root, *share = arguments
    if version != str(_HEADER[1]):
        sys.exit(f"this shared walk writes version {_HEADER[1]}, not {version}")
    stream = sys.stdout.buffer
    pickle.dump(_HEADER, stream)
    try:
        for piece in packed_pieces(Path(root), Share(*map(int, share))):
            pickle.dump(piece, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:
        pickle.dump(error, stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, stream)
    stream.flush()


if __name__ == "__main__":
    _main(sys.argv[1:])

"""A walk of a large directory shared between this process and one more per core.

A re-scan of a million unchanged files is a million ``stat`` calls, each about half system time
and half building its result: one core's work, about 4 s. Each process takes a ``Share`` of the
files (every process still lists every directory, which costs less) and the others hand back
theirs packed: one string of paths relative to the root and two arrays of numbers, which unpack
in a fraction of what pickling a million tuples would cost.

The other processes are started first, so they walk while this one loads what it compares the
files with, and they take twice this one's share: this one then unpacks theirs. They run this
module (``python -m bot.posts.shared_walk ROOT FIRST END OF``), which imports little, rather than
through ``multiprocessing``, which would import the caller's whole ``__main__`` (all of newsbot)
in each before it walked a file. A process that cannot be started, or fails, has its share
walked here instead.
"""

import logging
import os
import pickle
import subprocess
import sys
from array import array
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from bot.posts.files import FileStat, Share, post_file_runs

log = logging.getLogger(__name__)

Packed = tuple[str, bytes, bytes]  # the relative paths joined by NUL, the sizes, the mtimes
_SEPARATOR = "\0"  # no path holds it
_PIECE = 5000  # files a run, as the other processes' files are handed on
_OTHERS_WEIGHT = 2  # another process's share, in this one's


def shares(processes: int) -> list[Share]:
    """This process's share first, then one for each other process, twice as large."""
    of = 1 + _OTHERS_WEIGHT * (processes - 1)
    others = [Share(first, first + _OTHERS_WEIGHT, of) for first in range(1, of, _OTHERS_WEIGHT)]
    return [Share(0, 1, of), *others]


class SharedWalk:
    """The files of ``post_file_runs(root)``, walked by ``processes`` processes; the others
    start at once. ``runs`` gives this one's share a run at a time, then the others'. The order
    within the tree is lost, not the files. Close it to stop the others."""

    def __init__(self, root: Path, processes: int) -> None:
        self.root = root
        shared = processes > 1 and root.is_dir()
        self.shares = shares(processes) if shared else []
        self.others = [_start(root, share) for share in self.shares[1:]]

    def runs(self) -> Iterator[list[FileStat]]:
        """Raises what the walk of any share raises."""
        if not self.shares:
            yield from post_file_runs(self.root)
            return
        yield from post_file_runs(self.root, self.shares[0])
        for share, other in zip(self.shares[1:], self.others, strict=True):
            yield from _runs_of(self.root, share, other)

    def close(self) -> None:
        for other in self.others:
            _stop(other)


def _start(root: Path, share: Share) -> subprocess.Popen[bytes] | None:
    command = [sys.executable, "-m", __name__, str(root), *map(str, share)]
    environment = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
        )
    except OSError as error:
        log.warning("could not start a walk helper (%s); walking its share here", error)
        return None


def _runs_of(
    root: Path, share: Share, other: subprocess.Popen[bytes] | None
) -> Iterator[list[FileStat]]:
    """``share``'s files as ``other`` found them, or as this process finds them when ``other``
    is not there or failed."""
    found = _result(other) if other is not None else None
    if isinstance(found, OSError):
        raise found
    if found is None:
        yield from post_file_runs(root, share)
        return
    yield from unpacked(os.path.join(os.path.abspath(root), ""), found)


def _result(other: subprocess.Popen[bytes]) -> Packed | OSError | None:
    output, errors = other.communicate()
    try:
        found: Packed | OSError | None = pickle.loads(output) if other.returncode == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        found = None
    if found is None:
        said = errors.decode(errors="replace").strip().splitlines()[-1:] or ["nothing"]
        log.warning(
            "a walk helper failed (exit status %s, said %s); walking its share here",
            other.returncode,
            said[0],
        )
    return found


def _stop(other: subprocess.Popen[bytes] | None) -> None:
    if other is not None and other.poll() is None:
        other.kill()
        other.communicate()


def packed_share(root: Path, share: Share) -> Packed:
    """The files of ``share`` under the directory ``root``, packed to cross to another
    process."""
    skip = len(os.path.join(os.path.abspath(root), ""))
    paths: list[str] = []
    sizes, mtimes = array("q"), array("q")
    for run in post_file_runs(root, share):
        run_paths, run_sizes, run_mtimes = zip(*run, strict=True)
        paths.extend(path[skip:] for path in run_paths)
        sizes.extend(run_sizes)
        mtimes.extend(run_mtimes)
    return _SEPARATOR.join(paths), sizes.tobytes(), mtimes.tobytes()


def unpacked(prefix: str, packed: Packed) -> Iterator[list[FileStat]]:
    """The files of ``packed``, their paths under ``prefix``, ``_PIECE`` at a time."""
    joined, size_bytes, mtime_bytes = packed
    sizes, mtimes = array("q"), array("q")
    sizes.frombytes(size_bytes)
    mtimes.frombytes(mtime_bytes)
    if not sizes:
        return
    files = zip((prefix + path for path in joined.split(_SEPARATOR)), sizes, mtimes, strict=True)
    while run := list(islice(files, _PIECE)):
        yield run


def _main(arguments: list[str]) -> None:
    root, *share = arguments
    found: Packed | OSError
    try:
        found = packed_share(Path(root), Share(*map(int, share)))
    except OSError as error:
        found = error
    pickle.dump(found, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _main(sys.argv[1:])

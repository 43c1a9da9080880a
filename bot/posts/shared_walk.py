"""A walk of a large directory shared between this process and one more per core.

A re-scan of a million unchanged files is a million ``stat`` calls, each about half system time
and half building its result: one core's work, about 4 s. Each process takes a ``Share`` of the
files (every process still lists every directory, which costs less) and the others hand back
theirs packed: one string of paths relative to the root and two arrays of numbers, which unpack
in a fraction of what pickling a million tuples would cost.

The other processes run this module (``python -m bot.posts.shared_walk ROOT NUMBER OF``), which
imports little, rather than through ``multiprocessing``, which would import the caller's whole
``__main__`` (all of newsbot) in each before it walked a file. A process that cannot be
started, or dies, has its share walked here instead.
"""

import os
import pickle
import subprocess
import sys
from array import array
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from bot.posts.files import FileStat, Share, post_file_runs

Packed = tuple[str, bytes, bytes]  # the relative paths joined by NUL, the sizes, the mtimes
_SEPARATOR = "\0"  # no path holds it
_PIECE = 5000  # files a run, as the other processes' files are handed on


def shared_post_file_runs(root: Path, processes: int) -> Iterator[list[FileStat]]:
    """The files of ``post_file_runs(root)``, walked by ``processes`` processes: this one's
    share first, a run at a time, then each other process's. The order within the tree is
    lost, not the files. Raises what the walk of any share raises."""
    if processes < 2 or not root.is_dir():
        yield from post_file_runs(root)
        return
    others = [_start(root, Share(number, processes)) for number in range(1, processes)]
    try:
        yield from post_file_runs(root, Share(0, processes))
        for number, other in enumerate(others, start=1):
            yield from _runs_of(root, Share(number, processes), other)
    finally:
        for other in others:
            _stop(other)


def _start(root: Path, share: Share) -> subprocess.Popen[bytes] | None:
    command = [sys.executable, "-m", __name__, str(root), str(share.number), str(share.of)]
    environment = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, env=environment)
    except OSError:
        return None  # its share is walked here


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
    output, _ = other.communicate()
    if other.returncode != 0:
        return None
    try:
        found: Packed | OSError = pickle.loads(output)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
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
    root, number, of = arguments
    found: Packed | OSError
    try:
        found = packed_share(Path(root), Share(int(number), int(of)))
    except OSError as error:
        found = error
    pickle.dump(found, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _main(sys.argv[1:])

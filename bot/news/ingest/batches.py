"""The changed files of an ingest, a batch at a time, as the lanes take them.

Usually every changed file is known before the first batch is written, since a new file may be
a gone file renamed, which only the end of the walk tells. When nothing is stored yet no file can
be gone, so the batches are handed on while the tree is still being walked, and a first ingest of
a million files never holds them all (about 240 bytes a file).
"""

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable

from bot.posts import PostFile

# Files per transaction. Each costs some work whatever its size (a commit, a new FTS5 segment to
# merge later, the index pages it touches written again), so a large job takes them 2,000 at a
# time: 8-19% faster than 500 at 20,000 posts, level at 100,000. But never fewer than
# BATCHES_WANTED of them, so that the lanes can read one batch while another is written.
MIN_BATCH = 500
MAX_BATCH = 2000
BATCHES_WANTED = 8
STREAM_AHEAD = 4  # batches walked ahead of the lanes
Walker = Callable[[Callable[[PostFile], None]], None]  # walks, calling back with each change


def batch_size(files: int) -> int:
    return max(MIN_BATCH, min(MAX_BATCH, files // BATCHES_WANTED))


class Batches:
    """Batches of changed files; ``total`` counts the changed files found so far (all of them
    once the walk has ended)."""

    total = 0

    def __aiter__(self) -> AsyncIterator[list[PostFile]]:
        raise NotImplementedError


class ListedBatches(Batches):
    def __init__(self, files: list[PostFile], size: int | None) -> None:
        self.total = len(files)
        self._size = size or batch_size(len(files))
        self._files = files

    async def __aiter__(self) -> AsyncIterator[list[PostFile]]:
        for start in range(0, len(self._files), self._size):
            yield self._files[start : start + self._size]


class WalkedBatches(Batches):
    """Batches handed on by ``walker``, run in a thread, while it walks."""

    def __init__(self, walker: Walker, size: int | None) -> None:
        self._walker = walker
        self._size = size
        self._handoff: queue.Queue[list[PostFile] | BaseException | None] = queue.Queue(
            STREAM_AHEAD
        )
        self._stopped = threading.Event()

    async def __aiter__(self) -> AsyncIterator[list[PostFile]]:
        walking = asyncio.ensure_future(asyncio.to_thread(self._walk))
        try:
            while (item := await asyncio.to_thread(self._handoff.get)) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self._stopped.set()  # a walk still under way stops at its next hand-over
            with contextlib.suppress(queue.Empty):
                while True:
                    self._handoff.get_nowait()
            with contextlib.suppress(queue.Full):  # wakes a reader thread left waiting
                self._handoff.put_nowait(None)
            await walking

    def _walk(self) -> None:
        pending: list[PostFile] = []
        size = self._size  # decided once the walk has found enough files, or has ended

        def found(file: PostFile) -> None:
            nonlocal size
            self.total += 1
            pending.append(file)
            if size is None and len(pending) >= BATCHES_WANTED * MAX_BATCH:
                size = MAX_BATCH
            if size is not None and len(pending) >= size:
                self._hand(pending[:size])
                del pending[:size]

        try:
            self._walker(found)
            size = size or batch_size(len(pending))
            for start in range(0, len(pending), size):
                self._hand(pending[start : start + size])
            self._hand(None)
        except _ReaderGoneError:
            return
        except BaseException as error:  # raised again where the batches are read
            with contextlib.suppress(_ReaderGoneError):
                self._hand(error)

    def _hand(self, item: list[PostFile] | BaseException | None) -> None:
        while not self._stopped.is_set():
            try:
                self._handoff.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _ReaderGoneError


class _ReaderGoneError(Exception):
    """Raised in the walk when the reader of the batches has gone: the walk ends."""

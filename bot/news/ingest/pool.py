"""Where ingestion reads and writes. A large job runs in lanes: one worker thread in this process
and a worker process for every other core. Each lane reads a batch of files, then writes it
through its own connection when the batch's turn comes, so lanes parse while another writes and
batches still reach the store in order. A small job reads in the default thread pool while the
event loop writes."""

import asyncio
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial

from bot.news.ingest.lane import close_writer, read_and_write, start_writer
from bot.news.ingest.read import Known, Outcome, Vanished, read_batch
from bot.news.ingest.report import IngestReport
from bot.news.ingest.turns import Turns
from bot.posts import PostFile
from bot.posts.aliases import current_aliases
from bot.store import FileStamp
from bot.store.batch_connection import shareable

READ_AHEAD = 4  # batches read beyond the one being written, on the small-job path

# Below this many files, starting worker processes costs more than it saves.
PROCESSES_FROM = 1000


class IngestWorkers:
    """The lanes of a large job, started only once it turns out large and only for a database
    that another process can open (not an in-memory SQLite)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.lanes: list[Executor] = []
        self.turns: Turns | None = None
        self._closing: dict[Executor, asyncio.Future[None]] = {}

    @property
    def started(self) -> bool:
        return bool(self.lanes)

    def start(self) -> None:
        if not shareable(self.url):
            return
        # Spawned, not forked: this process already runs threads (the database driver's).
        context = multiprocessing.get_context("spawn")
        self.turns = Turns(context)
        # The thread starts at once, with the modules this process has already imported; the
        # processes join once they have imported theirs.
        thread = ThreadPoolExecutor(
            1, initializer=start_writer, initargs=(self.url, self.turns, False)
        )
        self.lanes.append(thread)
        for _ in range(max(1, (os.cpu_count() or 2) - 1)):
            pool = ProcessPoolExecutor(
                1,
                mp_context=context,
                initializer=start_writer,
                initargs=(self.url, self.turns, True, current_aliases()),
            )
            pool.submit(_ready)  # spawns the process now, so it imports while files are found
            self.lanes.append(pool)

    async def reports(
        self, batches: AsyncIterable[list[PostFile]], known: Known, vanished: Vanished
    ) -> AsyncIterator[IngestReport]:
        """Each batch's report, in order, as the lanes write them."""
        feed = _Feed(batches)
        lanes = [
            asyncio.create_task(_run_lane(lane, feed, (known, vanished), self._close))
            for lane in self.lanes
        ]
        try:
            async for result in feed.results():
                yield await result
            await asyncio.gather(*lanes)
        finally:
            if self.turns is not None:
                self.turns.abandon()  # a lane still waiting for a turn gives up
            for task in lanes:
                task.cancel()
            # Each lane has ended before the batches are closed: one may be inside them,
            # waiting for the walk's next batch, and a generator that runs cannot be closed.
            await asyncio.gather(*lanes, return_exceptions=True)
            await feed.close()

    async def stop(self) -> None:
        """Close the lanes, and return once their processes have exited. Each lane finishes the
        batch it holds first (after a finished job there is none).

        Returning earlier would leave the pool's own thread to reap the processes later, racing
        anyone else who waits for child processes: a child reaped by one thread looks alive to
        the other (``multiprocessing.active_children()`` kept listing it). A process lane is told
        to close as soon as no batch is left for it, so by now it mostly has."""
        for lane in self.lanes:
            self._close(lane)
        await asyncio.gather(*self._closing.values())

    def _close(self, lane: Executor) -> None:
        """Start closing ``lane`` (once), in a thread: shutting a pool down waits for it."""
        if lane not in self._closing:
            if isinstance(lane, ThreadPoolExecutor):
                lane.submit(close_writer)
            closing = asyncio.to_thread(lane.shutdown, True, cancel_futures=True)
            self._closing[lane] = asyncio.ensure_future(closing)


class _Feed:
    """Hands the batches to the lanes one at a time, numbered, and gives their results back in
    that order: a lane that comes free takes the next batch."""

    def __init__(self, batches: AsyncIterable[list[PostFile]]) -> None:
        self._batches = aiter(batches)
        self._taking = asyncio.Lock()
        self._futures: list[asyncio.Future[IngestReport]] = []
        self._ended = False
        self._news = asyncio.Condition()

    async def take(self) -> tuple[int, asyncio.Future[IngestReport], list[PostFile]] | None:
        """The next batch, its number and the future for its report; None once there are no
        more."""
        async with self._taking:
            batch = None if self._ended else await anext(self._batches, None)
            async with self._news:
                if batch is None:
                    self._ended = True
                    self._news.notify_all()
                    return None
                self._futures.append(asyncio.get_running_loop().create_future())
                self._news.notify_all()
                return len(self._futures) - 1, self._futures[-1], batch

    async def results(self) -> AsyncIterator[asyncio.Future[IngestReport]]:
        """Each batch's future, in order, as soon as a lane has taken the batch."""
        for index in itertools.count():
            async with self._news:
                await self._news.wait_for(partial(self._ready, index))
                if index >= len(self._futures):
                    return
                future = self._futures[index]
            yield future

    def _ready(self, index: int) -> bool:
        return index < len(self._futures) or self._ended

    async def close(self) -> None:
        closing = getattr(self._batches, "aclose", None)
        if closing is not None:
            await closing()


async def _run_lane(
    lane: Executor,
    feed: _Feed,
    stamps: tuple[Known, Vanished],
    close: Callable[[Executor], None],
) -> None:
    loop = asyncio.get_running_loop()
    known, vanished = stamps
    while (taken := await feed.take()) is not None:
        index, result, batch = taken
        try:
            report = await loop.run_in_executor(
                lane, read_and_write, index, batch, _known_of(batch, known), vanished
            )
        except Exception as error:  # handed to the reader of the results, in its place
            result.set_exception(error)
            return
        result.set_result(report)
    close(lane)  # no batch is left for it: its process may start exiting now


def _ready() -> None:
    """Nothing: submitted to spawn a worker process early."""


def _known_of(batch: list[PostFile], known: Known) -> dict[str, FileStamp]:
    """Only this batch's stamps: a worker process would otherwise be sent the whole index."""
    return {file.path: known[file.path] for file in batch if file.path in known}


@asynccontextmanager
async def ingest_workers(url: str) -> AsyncIterator[IngestWorkers]:
    workers = IngestWorkers(url)
    try:
        yield workers
    finally:
        await workers.stop()


async def read_ahead(
    batches: AsyncIterable[list[PostFile]], known: Known
) -> AsyncIterator[list[Outcome]]:
    """Each batch's outcomes in order, while the next batches are read in the default thread
    pool, so reading overlaps with whatever the caller does."""
    loop = asyncio.get_running_loop()
    pending: deque[asyncio.Future[list[Outcome]]] = deque()
    async for batch in batches:
        pending.append(loop.run_in_executor(None, read_batch, batch, known))
        if len(pending) > READ_AHEAD:
            yield await pending.popleft()
    while pending:
        yield await pending.popleft()

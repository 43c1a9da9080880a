"""Where ingestion parses files: worker processes for large jobs, so parsing runs on another core
while the event loop writes to the database; the default thread pool for small ones."""

import asyncio
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from bot.news.reading import Outcome, Sent, read_files, received
from bot.posts import PostFile

READ_AHEAD = 4  # batches in flight beyond the one being stored

# Below this many files, starting a worker process costs more than it saves.
PROCESSES_FROM = 1000

# The collector's first threshold while ingesting (Python's default is 700 allocations).
INGEST_GC_THRESHOLD = 10_000
_gc_holds: list[tuple[int, int, int]] = []


class ParseWorkers:
    """Worker processes for parsing, started only once a job turns out to be large."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        # One core is the writer's: the event loop and the database driver's thread mostly take
        # turns, together about as busy as one parsing process. The other cores parse. (On two
        # cores a second parser measured no faster and cost about 5% more CPU a post.)
        count = max(1, (os.cpu_count() or 2) - 1)
        # Spawned, not forked: the parent already runs threads (the database driver's among them).
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
        # Each submission spawns one worker, which starts importing the parser at once.
        for _ in range(count):
            self.pool.submit(read_files, [], {})


@contextmanager
def parse_workers() -> Iterator[ParseWorkers]:
    workers = ParseWorkers()
    try:
        yield workers
    finally:
        if workers.pool is not None:
            workers.pool.shutdown()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while ingesting. Ingestion allocates
    thousands of short-lived tuples per batch, so the default threshold starts a collection about
    every hundred posts, and the occasional full one walks every stamp the run holds: about 7 µs
    a post at 20,000 posts, 1 µs with this threshold. Nested or overlapping ingests restore the
    setting once the last of them ends."""
    if not _gc_holds:
        before = gc.get_threshold()
        gc.set_threshold(max(before[0], INGEST_GC_THRESHOLD), *before[1:])
        _gc_holds.append(before)
    else:
        _gc_holds.append(_gc_holds[0])
    try:
        yield
    finally:
        before = _gc_holds.pop()
        if not _gc_holds:
            gc.set_threshold(*before)


async def read_ahead(
    workers: Executor | None, batches: list[list[PostFile]], known_hashes: dict[str, str]
) -> AsyncIterator[list[Outcome]]:
    """Each batch's outcomes in order, while the next batches are read in ``workers`` (the
    default thread pool if None), so parsing overlaps with whatever the caller does."""
    loop = asyncio.get_running_loop()
    pending: deque[asyncio.Future[list[Sent]]] = deque()
    for batch in batches:
        # Only this batch's hashes: a worker process would otherwise be sent the whole index.
        hashes = {f.path: known_hashes[f.path] for f in batch if f.path in known_hashes}
        pending.append(loop.run_in_executor(workers, read_files, batch, hashes))
        if len(pending) > READ_AHEAD:
            yield received(await pending.popleft())
    while pending:
        yield received(await pending.popleft())

"""A batch writer for each of ingestion's worker threads and processes: it reads a batch of files,
waits for the batch's turn, and writes it through a connection of its own."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.util import Finalize

from bot.news.ingest.read import Known, Vanished, read_batch
from bot.news.ingest.report import IngestReport
from bot.news.ingest.turns import Turns
from bot.news.ingest.write import prepare_batch, stage_batch, write_prepared
from bot.posts import PostFile
from bot.posts.aliases import use_aliases
from bot.store.batch_connection import BatchConnection

# The collector's first threshold while ingesting (Python's default is 700 allocations).
INGEST_GC_THRESHOLD = 10_000
# A lane copies the SQLite log back into the database itself, once its turn is over (see
# ``read_and_write``); SQLite does so inside a commit only if the log has grown this far anyway.
LANE_CHECKPOINT_PAGES = 40_000

_gc_holds: list[tuple[int, int, int]] = []
_local = threading.local()


class BatchWriter:
    """Used by one thread only: reads a batch, waits for its turn, writes it."""

    def __init__(self, url: str, turns: Turns) -> None:
        self.turns = turns
        self.connection = BatchConnection(url, checkpoint_pages=LANE_CHECKPOINT_PAGES)

    def read_and_write(
        self, index: int, files: list[PostFile], known: Known, vanished: Vanished | None = None
    ) -> IngestReport:
        try:
            batch = prepare_batch(self.connection.dialect, read_batch(files, known))
            self.connection.run(stage_batch, batch)  # outside the turn: lanes do it at once
        except BaseException:
            self.turns.skip(index)
            raise
        self.turns.wait(index)
        try:
            report = self.connection.run(write_prepared, batch, known, vanished or {})
        finally:
            self.turns.done(index)
        # After the turn, not inside the commit as SQLite would: the next lane writes meanwhile,
        # instead of waiting while the log is copied and the database file synced to disk.
        self.connection.checkpoint()
        return report

    def close(self) -> None:
        self.connection.close()


# Entry points for a worker thread or process, which keeps its writer in a thread-local.


def start_writer(
    url: str, turns: Turns, process: bool, aliases: dict[str, tuple[str, ...]] | None = None
) -> None:
    if process:
        gc.set_threshold(INGEST_GC_THRESHOLD)  # the process only ever ingests
        Finalize(None, close_writer, exitpriority=10)
        use_aliases(aliases or {})  # a spawned process starts without the operator's aliases
    _local.writer = BatchWriter(url, turns)


def read_and_write(
    index: int, files: list[PostFile], known: Known, vanished: Vanished
) -> IngestReport:
    """Read batch number ``index``, then write it once batch ``index - 1`` is written."""
    writer: BatchWriter = _local.writer
    return writer.read_and_write(index, files, known, vanished)


def close_writer() -> None:
    writer: BatchWriter | None = getattr(_local, "writer", None)
    if writer is not None:
        writer.close()
        _local.writer = None


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

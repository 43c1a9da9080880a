"""Ingestion: bring the store up to date with post files on disk.

New files are inserted, changed files updated, unchanged files skipped on size and mtime alone.
A bad file is reported and skipped; it never stops the others.
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from pathlib import Path

from bot import messages
from bot.news.ingest.lane import fewer_collections
from bot.news.ingest.pool import PROCESSES_FROM, IngestWorkers, ingest_workers, read_ahead
from bot.news.ingest.read import Known, Outcome
from bot.news.ingest.report import IngestReport, Problem
from bot.news.ingest.write import write_batch
from bot.posts import PostFile, find_post_files
from bot.store import FileStamp, Store
from bot.store.changes import mark_posts_changed
from bot.store.post_writes import file_stamps

__all__ = ["IngestReport", "Problem", "ingest"]

# Files per transaction. Each costs some work whatever its size (a commit, a new FTS5 segment to
# merge later, the index pages it touches written again), so a large job takes them 2,000 at a
# time: 8-19% faster than 500 at 20,000 posts, level at 100,000. But never fewer than
# BATCHES_WANTED of them, so that the lanes can read one batch while another is written.
MIN_BATCH = 500
MAX_BATCH = 2000
BATCHES_WANTED = 8
ProgressCallback = Callable[[int, int], None]  # (files done, files to read)


async def ingest(
    store: Store,
    roots: Sequence[Path],
    progress: ProgressCallback | None = None,
    processes_from: int = PROCESSES_FROM,
    batch_size: int | None = None,
) -> IngestReport:
    """Bring the store up to date with the post files under ``roots``, ``batch_size`` files to
    a transaction (by default, a number that suits the size of the job). From ``processes_from``
    changed files up, worker lanes (a thread here and a process for each other core) read and
    write the batches."""
    with fewer_collections():
        return await _ingest(store, roots, progress, processes_from, batch_size)


async def _ingest(
    store: Store,
    roots: Sequence[Path],
    progress: ProgressCallback | None,
    processes_from: int,
    batch_size: int | None,
) -> IngestReport:
    report = IngestReport()
    async with store.sessions() as session:
        known = await file_stamps(session)
    async with ingest_workers(store.url) as workers:
        # In a thread: a large directory takes a while to stat, and `serve` answers meanwhile.
        changed = await asyncio.to_thread(
            _changed_files, roots, known, report, workers, processes_from
        )
        if not changed:
            return report  # a re-scan of an unchanged tree: no ledger of every file needed
        size = batch_size or _batch_size(len(changed))
        batches = [changed[i : i + size] for i in range(0, len(changed), size)]
        done = 0
        async for part in _batch_reports(store, workers, batches, known):
            report.add(part)
            done += part.files  # every file of the batch is counted once, whatever its outcome
            if progress is not None:
                progress(done, len(changed))
    return report


def _batch_size(files: int) -> int:
    return max(MIN_BATCH, min(MAX_BATCH, files // BATCHES_WANTED))


async def _batch_reports(
    store: Store, workers: IngestWorkers, batches: list[list[PostFile]], known: Known
) -> AsyncIterator[IngestReport]:
    """Each batch's report, in order, once the batch is written."""
    if not workers.started:
        async for outcomes in read_ahead(batches, known):
            yield await _write(store, outcomes, known)
        return
    async for part in workers.reports(batches, known):
        if part.saved:
            store.changes.bump()  # written through the lanes' own connections: no session counts it
        yield part


async def _write(store: Store, outcomes: list[Outcome], known: Known) -> IngestReport:
    async with store.sessions.begin() as session:
        part = await session.run_sync(lambda sync: write_batch(sync.connection(), outcomes, known))
        if part.saved:
            mark_posts_changed(session)
    return part


def _changed_files(
    roots: Iterable[Path],
    known: dict[str, FileStamp],
    report: IngestReport,
    workers: IngestWorkers,
    processes_from: int,
) -> list[PostFile]:
    """The files whose stat differs from the store's; the workers start (and import the parser)
    as soon as there are enough of them, while the rest of the tree is still being walked."""
    changed: list[PostFile] = []
    unchanged = 0
    for file in _find_files(roots, report):
        stamp = known.get(file.path)  # inline, not a call: this runs once per file on disk
        if stamp is not None and stamp.size == file.size and stamp.mtime_ns == file.mtime_ns:
            unchanged += 1
            continue
        changed.append(file)
        if len(changed) == processes_from:
            workers.start()
    report.unchanged += unchanged
    return changed


def _find_files(roots: Iterable[Path], report: IngestReport) -> Iterator[PostFile]:
    """Each file under ``roots`` once."""
    seen: set[str] = set()
    for root in roots:
        try:
            for file in find_post_files(root):
                if file.path not in seen:
                    seen.add(file.path)
                    yield file
        except OSError as error:
            reason = messages.UNREADABLE_FILE.format(error=error.strerror or error)
            report.rejected.append(Problem(str(root), reason))

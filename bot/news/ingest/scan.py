"""Ingestion: bring the store up to date with post files on disk.

New files are inserted, changed files updated, unchanged files skipped on size and mtime alone.
A bad file is reported and skipped; it never stops the others. A known file that is gone from a
directory that was scanned whole (or a named file that is gone) takes its post out of the store,
unless a new file with the very same content turns up in the same scan: that is a rename, and
the new file keeps the post (``write``).
"""

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from pathlib import Path

from bot import messages
from bot.news.ingest.lane import fewer_collections
from bot.news.ingest.pool import PROCESSES_FROM, IngestWorkers, ingest_workers, read_ahead
from bot.news.ingest.read import Known, Outcome, Vanished
from bot.news.ingest.report import IngestReport, Problem
from bot.news.ingest.write import write_batch
from bot.posts import PostFile, find_post_files
from bot.store import FileStamp, Store
from bot.store.changes import mark_posts_changed
from bot.store.post_writes import file_stamps
from bot.store.posts import forget_gone_files

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
        changed, gone = await asyncio.to_thread(
            _changed_files, roots, known, report, workers, processes_from
        )
        vanished = {stamp.content_hash: stamp for stamp in gone}
        size = batch_size or _batch_size(len(changed))
        batches = [changed[i : i + size] for i in range(0, len(changed), size)]
        done = 0
        async for part in _batch_reports(store, workers, batches, known, vanished):
            report.add(part)
            done += part.files  # every file of the batch is counted once, whatever its outcome
            if progress is not None:
                progress(done, len(changed))
    if gone:
        report.removed += await _remove(store, [stamp.path for stamp in gone])
    return report


async def _remove(store: Store, paths: list[str]) -> int:
    """Forget files that are gone; their posts leave the store unless a rename took them."""
    async with store.sessions.begin() as session:
        return await forget_gone_files(session, paths)


def _batch_size(files: int) -> int:
    return max(MIN_BATCH, min(MAX_BATCH, files // BATCHES_WANTED))


async def _batch_reports(
    store: Store,
    workers: IngestWorkers,
    batches: list[list[PostFile]],
    known: Known,
    vanished: Vanished,
) -> AsyncIterator[IngestReport]:
    """Each batch's report, in order, once the batch is written."""
    if not workers.started:
        async for outcomes in read_ahead(batches, known):
            yield await _write(store, outcomes, known, vanished)
        return
    async for part in workers.reports(batches, known, vanished):
        if part.saved:
            store.changes.bump()  # written through the lanes' own connections: no session counts it
        yield part


async def _write(
    store: Store, outcomes: list[Outcome], known: Known, vanished: Vanished
) -> IngestReport:
    async with store.sessions.begin() as session:
        part = await session.run_sync(
            lambda sync: write_batch(sync.connection(), outcomes, known, vanished)
        )
        if part.saved:
            mark_posts_changed(session)
    return part


def _changed_files(
    roots: Iterable[Path],
    known: dict[str, FileStamp],
    report: IngestReport,
    workers: IngestWorkers,
    processes_from: int,
) -> tuple[list[PostFile], list[FileStamp]]:
    """The files whose stat differs from the store's, and the known files that are gone; the
    workers start (and import the parser) as soon as there are enough changed files, while the
    rest of the tree is still being walked."""
    changed: list[PostFile] = []
    unchanged = 0
    seen: set[str] = set()
    scanned: list[str] = []
    for file in _find_files(roots, report, known, seen, scanned):
        stamp = known.get(file.path)  # inline, not a call: this runs once per file on disk
        if stamp is not None and stamp.size == file.size and stamp.mtime_ns == file.mtime_ns:
            unchanged += 1
            continue
        changed.append(file)
        if len(changed) == processes_from:
            workers.start()
    report.unchanged += unchanged
    return changed, _gone(known, seen, scanned)


def _find_files(
    roots: Iterable[Path], report: IngestReport, known: Known, seen: set[str], scanned: list[str]
) -> Iterator[PostFile]:
    """Each file under ``roots`` once, added to ``seen``; each root walked to its end goes into
    ``scanned`` (a directory as its path and a separator), so only there can a file be gone.
    A root that cannot be walked (a directory unmounted, say) is reported and removes nothing."""
    for root in roots:
        found: list[str] = []
        try:
            for file in find_post_files(root):
                found.append(file.path)
                if file.path not in seen:
                    seen.add(file.path)
                    yield file
        except FileNotFoundError as error:
            if os.path.abspath(root) not in known:
                report.rejected.append(Problem(str(root), _unreadable(error)))
            scanned.append(os.path.abspath(root))  # a named file deleted since it was ingested
            continue
        except OSError as error:
            report.rejected.append(Problem(str(root), _unreadable(error)))
            continue
        scanned.append(os.path.join(os.path.abspath(root), "") if root.is_dir() else found[0])


def _unreadable(error: OSError) -> str:
    return messages.UNREADABLE_FILE.format(error=error.strerror or error)


def _gone(known: Known, seen: set[str], scanned: list[str]) -> list[FileStamp]:
    """The known files under the scanned roots that the scan did not find."""
    if not scanned:
        return []
    prefixes = tuple(scanned)
    return [
        stamp
        for path, stamp in known.items()
        if path not in seen and (path.startswith(prefixes) or path in scanned)
    ]

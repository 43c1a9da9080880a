"""Ingestion: bring the store up to date with post files on disk.

New files are inserted, changed files updated, unchanged files skipped on size and mtime alone.
A bad file is reported and skipped; it never stops the others. A known file that is gone from a
directory that was scanned whole (or a named file that is gone) takes its post out of the store,
unless a new file with the very same content turns up in the same scan: that is a rename, and
the new file keeps the post (``write``).
"""

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
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
from bot.store.known_files import stamps_with_keys, stored_keys
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
        unmatched = await stored_keys(session)
    async with ingest_workers(store.url) as workers:
        # In a thread: a large directory takes a while to stat, and `serve` answers meanwhile.
        # It takes the keys of the files it finds unchanged out of ``unmatched``.
        walk = await asyncio.to_thread(
            _walk_roots, roots, unmatched, report, workers, processes_from
        )
        async with store.sessions() as session:
            known = await stamps_with_keys(session, unmatched)
        changed, gone = walk.changed, walk.gone(known, report)
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


class _Walk:
    """What walking the roots found: the files whose stat differs from the store's, and what is
    needed to tell which stored files are gone."""

    def __init__(self) -> None:
        self.changed: list[PostFile] = []
        self.scanned: list[str] = []  # roots walked to their end (a directory ends in a "/")
        self.missing: list[Problem] = []  # roots not found: a named file that is gone, or a typo

    def gone(self, known: Known, report: IngestReport) -> list[FileStamp]:
        """The stored files under the scanned roots that the walk did not find; ``known`` holds
        the stamps of the stored files it did not find unchanged. A missing root that the store
        does not know is reported."""
        report.rejected.extend(p for p in self.missing if p.path not in known)
        if not self.scanned:
            return []
        prefixes = tuple(self.scanned)
        found = {file.path for file in self.changed}
        return [
            stamp
            for path, stamp in known.items()
            if path not in found and (path.startswith(prefixes) or path in self.scanned)
        ]


def _walk_roots(
    roots: Sequence[Path],
    unmatched: set[int],
    report: IngestReport,
    workers: IngestWorkers,
    processes_from: int,
) -> _Walk:
    """Walk the roots; a file whose stat key is stored is unchanged (its key leaves
    ``unmatched``), any other is changed. The workers start (and import the parser) as soon as
    there are enough changed files, while the rest of the tree is still being walked."""
    walk = _Walk()
    changed = walk.changed
    unchanged = 0
    for file in _find_files(roots, report, walk):
        key = hash(file)  # inline, not stat_key(): this runs once per file on disk
        if key in unmatched:
            unmatched.remove(key)
            unchanged += 1
            continue
        changed.append(file)
        if len(changed) == processes_from:
            workers.start()
    report.unchanged += unchanged
    return walk


def _find_files(roots: Sequence[Path], report: IngestReport, walk: _Walk) -> Iterator[PostFile]:
    """Each file under ``roots`` once; each root walked to its end goes into ``walk.scanned``,
    so only there can a file be gone. A root that cannot be walked (a directory unmounted, say)
    is reported and removes nothing."""
    seen: set[str] | None = set() if len(roots) > 1 else None  # roots may overlap
    for root in roots:
        first = ""  # the file a root names, when it names one
        try:
            for file in find_post_files(root):
                first = first or file.path
                if seen is None or file.path not in seen:
                    if seen is not None:
                        seen.add(file.path)
                    yield file
        except FileNotFoundError as error:
            path = os.path.abspath(root)
            walk.missing.append(Problem(path, _unreadable(error)))
            walk.scanned.append(path)  # a named file deleted since it was ingested
            continue
        except OSError as error:
            report.rejected.append(Problem(str(root), _unreadable(error)))
            continue
        walk.scanned.append(os.path.join(os.path.abspath(root), "") if root.is_dir() else first)


def _unreadable(error: OSError) -> str:
    return messages.UNREADABLE_FILE.format(error=error.strerror or error)

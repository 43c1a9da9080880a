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
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path

from bot import messages
from bot.news.ingest.batches import Batches, ListedBatches, WalkedBatches
from bot.news.ingest.lane import fewer_collections
from bot.news.ingest.pool import PROCESSES_FROM, IngestWorkers, ingest_workers, read_ahead
from bot.news.ingest.read import Known, Outcome, Vanished
from bot.news.ingest.report import IngestReport, Problem
from bot.news.ingest.write import write_batch
from bot.posts import FileStat, PostFile
from bot.posts.files import root_prefix
from bot.posts.shared_walk import SharedWalk
from bot.store import FileStamp, Store
from bot.store.changes import mark_posts_changed
from bot.store.known_files import stamps_with_keys, stored_file_count, stored_keys
from bot.store.posts import forget_gone_files

__all__ = ["IngestReport", "Problem", "ingest"]

ProgressCallback = Callable[[int, int], None]  # (files done, files to read)
# A re-scan of this many stored files or more walks in a process for each core (at most
# MAX_WALKERS): a million files take 3-4 s of stat calls in one, where starting one more takes
# about 0.1 s.
SHARED_WALK_FROM = 100_000
MAX_WALKERS = 4


async def ingest(
    store: Store,
    roots: Sequence[Path],
    progress: ProgressCallback | None = None,
    processes_from: int = PROCESSES_FROM,
    batch_size: int | None = None,
    shared_walk_from: int = SHARED_WALK_FROM,
) -> IngestReport:
    """Bring the store up to date with the post files under ``roots``, ``batch_size`` files to
    a transaction (by default, a number that suits the size of the job). From ``processes_from``
    changed files up, worker lanes (a thread here and a process for each other core) read and
    write the batches. From ``shared_walk_from`` stored files up, a process for each core walks
    a share of each directory root."""
    with fewer_collections():
        async with store.sessions() as session:
            stored = await stored_file_count(session)
        walkers = min(os.cpu_count() or 1, MAX_WALKERS) if stored >= shared_walk_from else 1
        # Started before the stored files are loaded, so the other walkers walk meanwhile.
        with ExitStack() as stack:
            walks = [stack.enter_context(SharedWalk(root, walkers)) for root in roots]
            return await _ingest(store, walks, progress, processes_from, batch_size)


async def _ingest(
    store: Store,
    walks: list[SharedWalk],
    progress: ProgressCallback | None,
    processes_from: int,
    batch_size: int | None,
) -> IngestReport:
    report = IngestReport()
    async with store.sessions() as session:
        unmatched = await stored_keys(session)
    async with ingest_workers(store.url) as workers:
        walk = _Walk(walks, unmatched, workers, processes_from)
        known: Known = {}
        gone: list[FileStamp] = []
        if unmatched:
            # In a thread: a large directory takes a while to stat, and `serve` answers meanwhile.
            changed: list[PostFile] = []
            await asyncio.to_thread(walk.run, changed.append)
            async with store.sessions() as session:
                known = await stamps_with_keys(session, unmatched)
            gone = walk.gone(known, {file.path for file in changed})
            batches: Batches = ListedBatches(changed, batch_size)
        else:
            batches = WalkedBatches(walk.run, batch_size)
        vanished = {stamp.content_hash: stamp for stamp in gone}
        done = 0
        async for part in _batch_reports(store, workers, batches, known, vanished):
            report.add(part)
            done += part.files  # every file of the batch is counted once, whatever its outcome
            if progress is not None:
                progress(done, batches.total)
        walk.tell(report, known)
    if gone:
        report.removed += await _remove(store, [stamp.path for stamp in gone])
    return report


async def _remove(store: Store, paths: list[str]) -> int:
    """Forget files that are gone; their posts leave the store unless a rename took them."""
    async with store.sessions.begin() as session:
        return await forget_gone_files(session, paths)


async def _batch_reports(
    store: Store,
    workers: IngestWorkers,
    batches: Batches,
    known: Known,
    vanished: Vanished,
) -> AsyncIterator[IngestReport]:
    """Each batch's report, in order, once the batch is written. The lanes are chosen once the
    first batch is there: a first ingest walks the tree as it goes, and only the walk, by the
    number of changed files it has found, starts the lanes."""
    async with _first_batch_found(batches) as found:
        if not workers.started:
            async for outcomes in read_ahead(found, known):
                yield await _write(store, outcomes, known, vanished)
            return
        async for part in workers.reports(found, known, vanished):
            if part.saved:
                store.changes.bump()  # by the lanes' own connections: no session counts it
            yield part


@asynccontextmanager
async def _first_batch_found(batches: Batches) -> AsyncIterator[AsyncIterator[list[PostFile]]]:
    """``batches``, once their first batch has been found (or there is none)."""
    walked = aiter(batches)
    first = await anext(walked, None)

    async def again() -> AsyncIterator[list[PostFile]]:
        if first is not None:
            yield first
            async for batch in walked:
                yield batch

    try:
        yield again()
    finally:
        closing = getattr(walked, "aclose", None)
        if closing is not None:
            await closing()  # the walk stops, even if the batches were not read to the end


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
    """A walk of the roots: it hands on each file whose stat differs from the store's, and
    keeps what tells which stored files are gone. Run in a thread."""

    def __init__(
        self,
        walks: list[SharedWalk],
        unmatched: set[int],
        workers: IngestWorkers,
        processes_from: int,
    ) -> None:
        self.walks = walks  # one a root
        self.unmatched = unmatched  # a file found unchanged takes its stat key out
        self.workers = workers
        self.processes_from = processes_from
        self.unchanged = 0
        self.scanned: list[str] = []  # roots walked to their end (a directory ends in a "/")
        self.missing: list[tuple[str, Problem]] = []  # roots not found: a file gone, or a typo
        self.unreadable: list[Problem] = []

    def run(self, changed: Callable[[PostFile], None]) -> None:
        """Walk, calling ``changed`` with each changed file. The workers start (and import the
        parser) as soon as there are enough changed files, while the rest is still walked."""
        unmatched, unchanged, count = self.unmatched, 0, 0
        for run in self._runs():
            # A run at a time, in C: most files are unchanged, and this is once per file on disk.
            keys = set(map(hash, run))  # each file's stat_key
            matched = keys & unmatched
            unmatched -= matched
            unchanged += len(matched)
            if len(matched) == len(run):
                continue
            for file in run:
                if hash(file) not in matched:
                    changed(PostFile._make(file))
                    count += 1
                    if count == self.processes_from:
                        self.workers.start()
        self.unchanged = unchanged

    def gone(self, known: Known, found: set[str]) -> list[FileStamp]:
        """The stored files under the scanned roots that the walk did not find; ``known`` holds
        the stamps of the stored files it did not find unchanged, ``found`` the changed ones."""
        if not self.scanned:
            return []
        prefixes = tuple(self.scanned)
        return [
            stamp
            for path, stamp in known.items()
            if path not in found and (path.startswith(prefixes) or path in self.scanned)
        ]

    def tell(self, report: IngestReport, known: Known) -> None:
        """Add what the walk found to ``report``: a missing root the store does not know, a
        root that could not be walked, and the files found unchanged."""
        report.unchanged += self.unchanged
        report.rejected.extend(problem for path, problem in self.missing if path not in known)
        report.rejected.extend(self.unreadable)

    def _runs(self) -> Iterator[list[FileStat]]:
        """Each file under the roots once, a run at a time; each root walked to its end goes
        into ``scanned``, so only there can a file be gone. A root that cannot be walked (a
        directory unmounted, say) is reported and removes nothing."""
        seen: set[str] | None = set() if len(self.walks) > 1 else None  # roots may overlap
        for walk in self.walks:
            root = walk.root
            first = ""  # the file a root names, when it names one
            try:
                for run in walk.runs():
                    first = first or run[0][0]
                    yield run if seen is None else _not_seen(run, seen)
            except FileNotFoundError as error:
                path = os.path.abspath(root)
                self.missing.append((path, Problem(str(root), _unreadable(error))))
                self.scanned.append(path)  # a named file deleted since it was ingested
                continue
            except OSError as error:
                self.unreadable.append(Problem(str(root), _unreadable(error)))
                continue
            directory = root.is_dir()
            self.scanned.append(root_prefix(root) if directory else first)


def _not_seen(run: list[FileStat], seen: set[str]) -> list[FileStat]:
    """The files of ``run`` not seen before (under an earlier root), now seen."""
    fresh = [file for file in run if file[0] not in seen]
    seen.update(file[0] for file in fresh)
    return fresh


def _unreadable(error: OSError) -> str:
    return messages.UNREADABLE_FILE.format(error=error.strerror or error)

"""Ingestion: bring the store up to date with post files on disk.

New files are inserted, changed files updated, unchanged files skipped on size and mtime alone.
A bad file is reported and skipped; it never stops the others.
"""

import asyncio
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import messages
from bot.news.reading import FileFacts, Outcome, Parsed, Rejected, Touched
from bot.news.workers import (
    PROCESSES_FROM,
    ParseWorkers,
    fewer_collections,
    parse_workers,
    read_ahead,
)
from bot.posts import PostFile, PostRecord, find_post_files
from bot.store import FileStamp, Store
from bot.store.posts import file_stamps, forget_files, save_records, save_stamps

BATCH_SIZE = 500
ProgressCallback = Callable[[int, int], None]  # (files done, files to read)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    text: str


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.rejected)


async def ingest(
    store: Store,
    roots: Sequence[Path],
    progress: ProgressCallback | None = None,
    processes_from: int = PROCESSES_FROM,
) -> IngestReport:
    """Bring the store up to date with the post files under ``roots``. From ``processes_from``
    changed files up, files are parsed in worker processes while the database is written."""
    with fewer_collections():
        return await _ingest(store, roots, progress, processes_from)


async def _ingest(
    store: Store,
    roots: Sequence[Path],
    progress: ProgressCallback | None,
    processes_from: int,
) -> IngestReport:
    report = IngestReport()
    async with store.sessions() as session:
        known = await file_stamps(session)
    done = 0
    with parse_workers() as workers:
        # In a thread: a large directory takes a while to stat, and `serve` answers meanwhile.
        changed = await asyncio.to_thread(
            _changed_files, roots, known, report, workers, processes_from
        )
        if not changed:
            return report  # a re-scan of an unchanged tree: no ledger of every file needed
        ledger = _Ledger(known)
        batches = [changed[i : i + BATCH_SIZE] for i in range(0, len(changed), BATCH_SIZE)]
        hashes = {
            file.path: known[file.path].content_hash for file in changed if file.path in known
        }
        async for outcomes in read_ahead(workers.pool, batches, hashes):
            await _store_batch(store, outcomes, ledger, report)
            done += len(outcomes)
            if progress is not None:
                progress(done, len(changed))
    return report


def _changed_files(
    roots: Iterable[Path],
    known: dict[str, FileStamp],
    report: IngestReport,
    workers: ParseWorkers,
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


class _Ledger:
    """Which file owns each post id, kept current through the run, so two files that claim
    the same id are caught and a moved file takes its post along."""

    def __init__(self, known: dict[str, FileStamp]) -> None:
        self.stamps = dict(known)
        self.owner = {stamp.post_id: path for path, stamp in known.items()}

    def rival(self, post: PostRecord, path: str) -> str | None:
        """Another file that still exists and holds this post id, if there is one."""
        other = self.owner.get(post.id)
        if other is None or other == path or not os.path.exists(other):
            return None
        return other

    def previous(self, post_id: str) -> FileStamp | None:
        owner = self.owner.get(post_id)
        return None if owner is None else self.stamps.get(owner)

    def claim(self, stamp: FileStamp) -> str | None:
        """Record ``stamp``'s file as its post's owner; returns a vanished former owner's path."""
        former = self.owner.get(stamp.post_id)
        replaced = self.stamps.get(stamp.path)
        if replaced is not None and self.owner.get(replaced.post_id) == stamp.path:
            del self.owner[replaced.post_id]
        self.stamps[stamp.path] = stamp
        self.owner[stamp.post_id] = stamp.path
        return former if former not in (None, stamp.path) else None


async def _store_batch(
    store: Store, outcomes: list[Outcome], ledger: _Ledger, report: IngestReport
) -> None:
    saved: list[tuple[PostRecord, FileStamp]] = []
    touched: list[FileStamp] = []
    vanished: list[str] = []
    for outcome in outcomes:
        if isinstance(outcome, Rejected):
            report.rejected.append(Problem(outcome.path, outcome.reason))
        elif isinstance(outcome, Touched):
            touched.append(_stamp(outcome.facts, ledger.stamps[outcome.facts.path].post_id))
            report.unchanged += 1
        elif _accept(outcome, ledger, report):
            stamp = _stamp(outcome.facts, outcome.post.id)
            saved.append((outcome.post, stamp))
            vanished.extend(filter(None, [ledger.claim(stamp)]))
    async with store.sessions.begin() as session:
        await forget_files(session, vanished)
        await save_records(session, saved)
        await save_stamps(session, touched)


def _stamp(facts: FileFacts, post_id: str) -> FileStamp:
    return FileStamp(facts.path, post_id, facts.size, facts.mtime_ns, facts.content_hash)


def _accept(outcome: Parsed, ledger: _Ledger, report: IngestReport) -> bool:
    post, path = outcome.post, outcome.facts.path
    rival = ledger.rival(post, path)
    if rival is not None:
        reason = messages.DUPLICATE_ID.format(post_id=post.id, other=rival)
        report.rejected.append(Problem(path, reason))
        return False
    report.warnings.extend(Problem(path, text) for text in outcome.warnings)
    previous = ledger.previous(post.id)
    if previous is None:
        report.new += 1
    elif previous.content_hash == post.content_hash:
        report.unchanged += 1
    else:
        report.updated += 1
    return True

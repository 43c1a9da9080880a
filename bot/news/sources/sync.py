"""Syncing one source: fetch it into the directory newsbot keeps for it, then read that
directory with the same ingestion as the posts directory (so the same parser, rules, re-scan on
size and time, and moved-file handling apply).

A git source's directory is its working copy, whose ``--path`` folder holds the posts. A feed
source's directory holds one post file per entry ever seen (``bot.news.sources.entries``): an
entry that drops off the end of the feed keeps its post.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import IngestReport, ingest
from bot.news.sources.documents import Document, FetchDocument, FetchError
from bot.news.sources.entries import write_entries
from bot.news.sources.feeds import FeedError, read_feed
from bot.news.sources.git import GitError, Repository, update
from bot.store import Store
from bot.store.sources import GIT, Fetched, Source

DEFAULT_GIT_PATH = "_posts"


@dataclass(frozen=True, slots=True)
class SourcePlaces:
    """Where each source's files live: one directory per source under ``root``."""

    root: Path

    def directory(self, source: Source) -> Path:
        return self.root / f"{source.kind}-{source.id}"

    def posts_root(self, source: Source) -> Path:
        if source.kind == GIT:
            return self.directory(source) / "clone" / (source.path or DEFAULT_GIT_PATH)
        return self.directory(source)


@dataclass(frozen=True, slots=True)
class SyncResult:
    source: Source
    fetched: Fetched
    report: IngestReport | None = None  # None when nothing was read (failed, or not modified)
    problems: tuple[str, ...] = ()  # one line each: entries skipped, files rejected

    @property
    def changed(self) -> bool:
        return self.report is not None and bool(self.report.new or self.report.updated)


@dataclass(frozen=True, slots=True)
class _Pulled:
    """What a fetch left in the directory: whether to read it, and what to remember."""

    read: bool
    problems: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None


async def sync_source(
    store: Store,
    gate: IngestGate,
    source: Source,
    places: SourcePlaces,
    fetch: FetchDocument,
    now: datetime,
) -> SyncResult:
    """Fetch ``source`` and read what changed; a failure is described, never raised."""
    try:
        pulled = await _pull(source, places, fetch, now)
        report = await _read(store, gate, places.posts_root(source)) if pulled.read else None
    except (GitError, FetchError, FeedError, OSError) as error:
        return SyncResult(source, Fetched(error=_describe(error)))
    problems = _problems(source, pulled, report)
    return SyncResult(source, _fetched(pulled, report, problems), report, problems)


async def _pull(
    source: Source, places: SourcePlaces, fetch: FetchDocument, now: datetime
) -> _Pulled:
    if source.kind == GIT:
        return await _pull_git(source, places)
    return await _pull_feed(source, places, fetch, now)


async def _pull_git(source: Source, places: SourcePlaces) -> _Pulled:
    clone = places.directory(source) / "clone"
    await update(Repository(source.url, source.branch, clone))
    if not places.posts_root(source).is_dir():
        path = source.path or DEFAULT_GIT_PATH
        branch = source.branch or messages.SOURCE_DEFAULT_BRANCH
        raise GitError(messages.SOURCE_NO_PATH.format(path=path, branch=branch))
    return _Pulled(read=True)


async def _pull_feed(
    source: Source, places: SourcePlaces, fetch: FetchDocument, now: datetime
) -> _Pulled:
    directory = places.directory(source)
    known = directory.is_dir()  # a feed never read before is fetched whole, not conditionally
    document = await fetch(
        source.url, source.etag if known else None, source.last_modified if known else None
    )
    if document.body is None:
        return _Pulled(False, etag=source.etag, last_modified=source.last_modified)
    # Parsing and converting a large feed takes a while: in a thread, so `serve` answers meanwhile.
    body, category = document.body, source.category
    problems = await asyncio.to_thread(_store_entries, body, document, directory, category, now)
    return _Pulled(True, problems, document.etag, document.last_modified)


def _store_entries(
    body: bytes, document: Document, directory: Path, category: str | None, now: datetime
) -> tuple[str, ...]:
    """Write the document's entries as post files; the problems found on the way."""
    feed = read_feed(body, document.url, document.content_type)
    write_entries(directory, feed.entries, category, now)
    return feed.problems


async def _read(store: Store, gate: IngestGate, root: Path) -> IngestReport:
    async with gate.turn(wait=True):
        return await ingest(store, [root])


def _problems(source: Source, pulled: _Pulled, report: IngestReport | None) -> tuple[str, ...]:
    problems = list(pulled.problems)
    if report is not None:
        problems += [f"{Path(p.path).name}: {p.text}" for p in report.rejected]
        if source.kind == GIT and report.files == 0:
            problems.append(messages.SOURCE_NO_POSTS)
    return tuple(problems)


def _fetched(pulled: _Pulled, report: IngestReport | None, problems: tuple[str, ...]) -> Fetched:
    posts = report.new + report.updated + report.unchanged if report is not None else None
    return Fetched(None, _summary(problems), posts, pulled.etag, pulled.last_modified)


def _summary(problems: tuple[str, ...]) -> str | None:
    if not problems:
        return None
    more = len(problems) - 1
    return problems[0] + (messages.SOURCE_MORE_PROBLEMS.format(count=more) if more else "")


def _describe(error: Exception) -> str:
    if isinstance(error, OSError):
        return messages.SOURCE_DISK_ERROR.format(error=error.strerror or error)
    return " ".join(str(error).split()) or type(error).__name__

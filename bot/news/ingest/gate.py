"""One ingestion at a time: within a process (the watcher and ``POST /ingest``) and across
processes (``newsbot ingest``, replicas): on PostgreSQL a session advisory lock on its own
connection, on SQLite a lock file beside the database. Concurrent ingests of the same new file
would race to insert its categories, and each would report it as new."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from bot.news.ingest.report import IngestReport
from bot.news.ingest.scan import ingest
from bot.store import Store
from bot.store.locks import ingest_lock


class IngestObserver(Protocol):
    """Told how the ingests run through the gate go, for the operator's metrics."""

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` changed files are read and written."""

    def finished(self, report: IngestReport) -> None:
        """An ingest ended with ``report``."""


class IngestGate:
    def __init__(self, store: Store, observer: IngestObserver | None = None) -> None:
        self.store = store
        self.observer = observer
        self._local = asyncio.Lock()

    async def ingest(self, roots: Sequence[Path]) -> IngestReport:
        """Ingest ``roots`` (inside a ``turn``), telling the observer."""
        observer = self.observer
        report = await ingest(self.store, roots, observer.progress if observer else None)
        if observer is not None:
            observer.finished(report)
        return report

    @asynccontextmanager
    async def turn(self, wait: bool) -> AsyncIterator[bool]:
        """Yields whether this caller may ingest now. With ``wait`` it always may, once the
        others are done; without, it is told False while anyone else is ingesting."""
        if not wait and self._local.locked():
            yield False
            return
        async with self._local, ingest_lock(self.store.engine, wait) as mine:
            yield mine

"""One ingestion at a time: within a process (the watcher and ``POST /ingest``) and, on
PostgreSQL, across the replicas sharing it (a session advisory lock on its own connection).
Concurrent ingests of the same new file would race to insert its categories."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.store import Store
from bot.store.locks import ingest_lock


class IngestGate:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = asyncio.Lock()

    @asynccontextmanager
    async def turn(self, wait: bool) -> AsyncIterator[bool]:
        """Yields whether this caller may ingest now. With ``wait`` it always may, once the
        others are done; without, it is told False while anyone else is ingesting."""
        if not wait and self._local.locked():
            yield False
            return
        async with self._local, ingest_lock(self.store.engine, wait) as mine:
            yield mine

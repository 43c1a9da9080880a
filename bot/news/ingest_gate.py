"""One ingestion at a time: within a process (the watcher and ``POST /ingest``) and, on
PostgreSQL, across the replicas sharing it (a session advisory lock on its own connection).
Concurrent ingests of the same new file would race to insert its categories."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from bot.store import Store

# Any fixed number, the same in every replica.
INGEST_LOCK = 7_460_120_506


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
        async with self._local, self._shared(wait) as mine:
            yield mine

    @asynccontextmanager
    async def _shared(self, wait: bool) -> AsyncIterator[bool]:
        if self.store.engine.dialect.name != "postgresql":
            yield True
            return
        key = {"key": INGEST_LOCK}
        async with self.store.engine.connect() as connection:
            if wait:
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
                mine = True
            else:
                try_lock = text("SELECT pg_try_advisory_lock(:key)")
                mine = bool(await connection.scalar(try_lock, key))
            await connection.commit()
            try:
                yield mine
            finally:
                if mine:
                    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                    await connection.commit()

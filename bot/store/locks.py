"""The advisory locks replicas sharing one PostgreSQL database take turns with; each is a fixed
number, the same in every replica. SQLite has a single writer and one machine: there the ingest
lock is a lock on a file beside the database (two ``newsbot ingest`` runs, or one beside
``newsbot serve``, would otherwise both read the same new files as new), and the others are
granted at once.
"""

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

INGEST_LOCK = 7_460_120_506
PLANNING_LOCK = 7_460_120_505


def _is_postgres(engine_name: str) -> bool:
    return engine_name == "postgresql"


@asynccontextmanager
async def ingest_lock(engine: AsyncEngine, wait: bool) -> AsyncIterator[bool]:
    """Yields whether this replica holds the ingestion lock: a session lock on a connection of
    its own, held until the block ends. With ``wait`` it waits for the lock; without, it yields
    False while another replica holds it."""
    if not _is_postgres(engine.dialect.name):
        async with _file_lock(engine.url.database, wait) as mine:
            yield mine
        return
    key = {"key": INGEST_LOCK}
    async with engine.connect() as connection:
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


async def take_planning_turn(session: AsyncSession) -> bool:
    """Whether this replica plans now: the lock lasts until ``session``'s transaction ends, and
    a replica that does not get it skips (the one that has it plans for everyone)."""
    if not _is_postgres(session.get_bind().dialect.name):
        return True
    lock = text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=PLANNING_LOCK)
    return bool(await session.scalar(lock))


@asynccontextmanager
async def _file_lock(database: str | None, wait: bool) -> AsyncIterator[bool]:
    """An exclusive lock on ``DATABASE-ingest.lock``, released when the block ends or the
    process dies; granted at once for a database in memory."""
    if not database or database == ":memory:":
        yield True
        return
    descriptor = os.open(f"{database}-ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if wait:
            await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)
            mine = True
        else:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                mine = True
            except BlockingIOError:
                mine = False
        yield mine
    finally:
        os.close(descriptor)  # closing it releases the lock

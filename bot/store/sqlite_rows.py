"""Rows straight from aiosqlite, for the search's own FTS5 statements.

SQLAlchemy's cursor makes four trips to aiosqlite's thread per statement (cursor, execute, fetch,
close); ``execute_fetchall`` makes one. On a busy machine every trip is a thread wake-up that may
wait for a core, so a search of a few statements spends more time in those trips than in SQLite.
Errors go through SQLAlchemy's own handling, so callers get SQLAlchemy's exceptions and its
error hooks (the store's watch for a damaged file) see them, as for any other statement.
"""

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.driver_errors import raise_as_sqlalchemy


async def fetch_rows(
    session: AsyncSession, sql: str, params: Mapping[str, object]
) -> Sequence[Sequence[Any]]:
    """All rows of one read-only statement, on the session's own connection (and transaction)."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    try:
        return list(await driver.execute_fetchall(sql, params))  # type: ignore[union-attr]
    except sqlite3.Error as error:
        await raise_as_sqlalchemy(connection, error, sql, dict(params))

"""What a re-scan knows of every stored post file, in little memory.

A re-scan skips a file whose path, size and modification time are as stored. Holding every
stored file's stamp (five fields, two of them long strings) costs about 500 bytes a file: half a
gigabyte at a million posts, on every watcher round. Only whether a file is unchanged is needed
for all of them, so that is held as one hash of the three values per file (about 60 bytes). The
full stamps are read again only for the stored files the scan did not find unchanged: the ones
that changed or are gone, which are few.

Both passes read every row of ``post_files``, so they read them as the driver's own tuples, a
piece at a time, not as SQLAlchemy rows: at a million files that took 2-4 s of a re-scan.
"""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.store.driver_errors import raise_as_sqlalchemy
from bot.store.post_writes import FileStamp
from bot.store.schema import PostFileRow

STAMPS_PER_PIECE = 5000  # rows a step: a large index at once would hold up the event loop
_COLUMNS = (PostFileRow.path, PostFileRow.post_id, PostFileRow.size, PostFileRow.mtime_ns)
_STAT_COLUMNS = (PostFileRow.path, PostFileRow.size, PostFileRow.mtime_ns)
_STAMP_COLUMNS = (*_COLUMNS, PostFileRow.content_hash)  # FileStamp's order


def stat_key(path: str, size: int, mtime_ns: int) -> int:
    """One number for a file's stat as a re-scan compares it. Python's hash of a tuple: a
    collision (odds about 1 in 10^13 at a million files) would only take one edit for no
    change; it is the same within a process, which is where keys are made and compared."""
    return hash((path, size, mtime_ns))


async def stored_file_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PostFileRow)) or 0)


async def stored_keys(session: AsyncSession) -> set[int]:
    """The ``stat_key`` of every stored file."""
    keys: set[int] = set()
    async for rows in _pieces(await session.connection(), _STAT_COLUMNS):
        keys.update(map(hash, rows))  # each row is the tuple (path, size, mtime_ns)
    return keys


async def stamps_with_keys(session: AsyncSession, keys: set[int]) -> dict[str, FileStamp]:
    """The full stamps, by path, of the stored files whose ``stat_key`` is in ``keys``: one
    more pass over the index, made only when some stored file changed or is gone."""
    if not keys:
        return {}
    stamps: dict[str, FileStamp] = {}
    async for rows in _pieces(await session.connection(), _STAMP_COLUMNS):
        for row in rows:
            if hash((row[0], row[2], row[3])) in keys:
                stamps[row[0]] = FileStamp._make(row)
    return stamps


async def _pieces(
    connection: AsyncConnection, columns: Sequence[Any]
) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
    """Every row of ``post_files``'s ``columns``, as plain tuples, ``STAMPS_PER_PIECE`` at a
    time: through the driver itself where it is aiosqlite or asyncpg, else through
    SQLAlchemy."""
    statement = select(*columns)
    name = connection.dialect.driver
    if name not in ("aiosqlite", "asyncpg"):
        result = await connection.stream(statement)
        async for partition in result.partitions(STAMPS_PER_PIECE):
            yield [tuple(row) for row in partition]
        return
    driver: Any = (await connection.get_raw_connection()).driver_connection
    query = str(statement.compile(dialect=connection.dialect))
    try:
        pieces = _sqlite_pieces if name == "aiosqlite" else _postgres_pieces
        async for rows in pieces(driver, query):
            yield rows
    except Exception as error:  # the driver's, raised as SQLAlchemy's
        await raise_as_sqlalchemy(connection, error, query)


async def _sqlite_pieces(driver: Any, query: str) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
    async with driver.execute(query) as cursor:
        while rows := await cursor.fetchmany(STAMPS_PER_PIECE):
            yield rows


async def _postgres_pieces(driver: Any, query: str) -> AsyncIterator[Sequence[tuple[Any, ...]]]:
    # A cursor needs a transaction: this one, or a savepoint in SQLAlchemy's if it began one.
    async with driver.transaction():
        cursor = await driver.cursor(query)
        while records := await cursor.fetch(STAMPS_PER_PIECE):
            yield list(map(tuple, records))

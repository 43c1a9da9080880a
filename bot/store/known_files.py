"""What a re-scan knows of every stored post file, in little memory.

A re-scan skips a file whose path, size and modification time are as stored. Holding every
stored file's stamp (five fields, two of them long strings) costs about 500 bytes a file: half a
gigabyte at a million posts, on every watcher round. Only whether a file is unchanged is needed
for all of them, so that is held as one hash of the three values per file (about 60 bytes). The
full stamps are read again only for the stored files the scan did not find unchanged: the ones
that changed or are gone, which are few.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.post_writes import FileStamp
from bot.store.schema import PostFileRow

STAMPS_PER_PIECE = 2000  # rows a step: a large index at once would hold up the event loop
_STAT_COLUMNS = (PostFileRow.path, PostFileRow.size, PostFileRow.mtime_ns)


def stat_key(path: str, size: int, mtime_ns: int) -> int:
    """One number for a file's stat as a re-scan compares it. Python's hash of a tuple: a
    collision (odds about 1 in 10^13 at a million files) would only take one edit for no
    change; it is the same within a process, which is where keys are made and compared."""
    return hash((path, size, mtime_ns))


async def stored_keys(session: AsyncSession) -> set[int]:
    """The ``stat_key`` of every stored file."""
    connection = await session.connection()
    result = await connection.stream(select(*_STAT_COLUMNS))
    keys: set[int] = set()
    async for rows in result.partitions(STAMPS_PER_PIECE):
        keys.update(hash((row[0], row[1], row[2])) for row in rows)
    return keys


async def stamps_with_keys(session: AsyncSession, keys: set[int]) -> dict[str, FileStamp]:
    """The full stamps, by path, of the stored files whose ``stat_key`` is in ``keys``: one
    more pass over the index, made only when some stored file changed or is gone."""
    if not keys:
        return {}
    columns = (PostFileRow.path, PostFileRow.post_id, *_STAT_COLUMNS[1:], PostFileRow.content_hash)
    connection = await session.connection()
    result = await connection.stream(select(*columns))
    stamps: dict[str, FileStamp] = {}
    async for rows in result.partitions(STAMPS_PER_PIECE):
        for row in rows:
            if hash((row[0], row[2], row[3])) in keys:
                stamps[row[0]] = FileStamp._make(row)
    return stamps

"""A driver's own error, from a statement run around SQLAlchemy, raised as SQLAlchemy raises it.

Some reads go to the driver itself (aiosqlite, asyncpg) for speed. Their errors must still
reach callers as SQLAlchemy's exceptions (``DatabaseError``, which the posts watcher retries on)
and pass through the engine's ``handle_error`` hooks (the store's watch for a damaged file), as
any other statement's do.
"""

from typing import Any, NoReturn

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection


async def raise_as_sqlalchemy(
    connection: AsyncConnection, error: Exception, statement: str, parameters: Any = None
) -> NoReturn:
    """Raise ``error``, which the driver raised for ``statement`` on ``connection``, as
    SQLAlchemy would have: translated to its DB-API error, then wrapped."""
    adapted: Any = (await connection.get_raw_connection()).dbapi_connection
    try:
        adapted._handle_exception(error)  # SQLAlchemy's adapter's (private) translation
    except Exception as translated:
        failed = translated

    def wrap(sync: Connection) -> NoReturn:
        # The connection's own (private) handler: it runs the engine's handle_error hooks,
        # then raises SQLAlchemy's exception for the driver's.
        sync._handle_dbapi_exception(failed, statement, parameters or {}, None, None)

    await connection.run_sync(wrap)

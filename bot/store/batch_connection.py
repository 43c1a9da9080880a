"""A connection of its own for each of ingestion's worker threads and processes, through which
it writes its batches, one transaction each.

SQLite goes through the standard library's driver: the batch is written in the calling thread,
without aiosqlite's hand-over of every statement to a thread of its own. Other databases go
through their asynchronous driver, on an event loop of this connection's own.
"""

import asyncio
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.database import checkpoint, create_engine, create_sync_engine

P = ParamSpec("P")
T = TypeVar("T")

__all__ = ["BatchConnection", "Connection", "Dialect", "shareable"]


class BatchConnection:
    """Used by one thread only. ``checkpoint_pages``: SQLite copies its log back into the
    database inside a commit only once the log has grown this far (``checkpoint`` does it
    sooner, when the caller chooses)."""

    def __init__(self, url: str, checkpoint_pages: int) -> None:
        self._direct = create_sync_engine(url, checkpoint_pages=checkpoint_pages)
        self._loop = asyncio.new_event_loop() if self._direct is None else None
        self._engine = create_engine(url) if self._direct is None else None
        self.dialect: Dialect = (self._direct or self._async_engine.sync_engine).dialect

    @property
    def _async_engine(self) -> AsyncEngine:
        assert self._engine is not None and self._loop is not None
        return self._engine

    def run(
        self, write: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``write(connection, *args)`` inside one transaction, committed when it returns."""
        if self._direct is not None:
            with self._direct.begin() as connection:
                return write(connection, *args, **kwargs)
        assert self._loop is not None
        return self._loop.run_until_complete(self._run_async(write, *args, **kwargs))

    async def _run_async(
        self, write: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        async with self._async_engine.begin() as connection:
            return await connection.run_sync(write, *args, **kwargs)

    def checkpoint(self) -> None:
        """Copy SQLite's log back into the database file now, so the next writer does not wait
        for it inside its commit. Nothing to do on other databases."""
        if self._direct is not None:
            checkpoint(self._direct)

    def close(self) -> None:
        if self._direct is not None:
            self._direct.dispose()
        if self._loop is not None:
            self._loop.run_until_complete(self._async_engine.dispose())
            self._loop.close()


def shareable(url: str) -> bool:
    """Whether another process can open the database at ``url`` (not an in-memory SQLite)."""
    address = make_url(url)
    if address.get_backend_name() != "sqlite":
        return True
    memory = address.database in (None, "", ":memory:") or address.query.get("mode") == "memory"
    return not memory

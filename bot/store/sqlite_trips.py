"""Each SQLAlchemy statement on aiosqlite in one trip to the connection's thread.

SQLAlchemy's aiosqlite cursor makes four trips per statement (open a cursor, execute, fetch,
close), each a hand-over to aiosqlite's thread and a wake-up of the event loop when it is done.
Under a burst of slash commands those trips cost more than SQLite's own work for a short read
(``show``, ``latest``): the thread waits for the interpreter's lock and the loop is woken four
times. Here the cursor does all four in one function on that thread, and a rollback with no
transaction open (which sqlite3 skips) makes no trip. Results, errors and transactions are
SQLAlchemy's and sqlite3's as before: only the hand-overs are fewer. Server-side cursors
(``stream``) keep SQLAlchemy's own.
"""

import collections
import sqlite3
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
)

# What a statement leaves on its cursor: description, rowcount, lastrowid, and every row.
_Outcome = tuple[Any, int, int | None, list[Any]]


class _Finished:
    """What SQLAlchemy reads of a cursor once its statement ran, the cursor closed already."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self) -> None:
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    def close(self) -> None:
        """Closed on its thread, with its statement."""


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Outcome:
    """On aiosqlite's thread: the statement, its rows and what its cursor says, then close."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False  # nothing left to close on the thread

    def _make_new_cursor(self, connection: Any) -> Any:
        return _Finished()

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._one_trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._one_trip(operation, seq_of_parameters, many=True)

    async def _one_trip(self, operation: Any, parameters: Any, many: bool) -> None:
        driver: Any = self._connection  # aiosqlite's; ``_execute`` and ``_conn`` are private
        async with self._adapt_connection._execute_mutex:
            outcome: _Outcome = await driver._execute(
                _run, driver._conn, operation, parameters, many
            )
        finished: _Finished = self._cursor  # type: ignore[assignment]
        finished.description, finished.rowcount, finished.lastrowid, rows = outcome
        self._rows = collections.deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor

    def rollback(self) -> None:
        """sqlite3 does nothing when no transaction is open (a session that only read, whose
        connection SQLAlchemy then rolls back twice: on closing, and on going back to the
        pool); nor does this, without the two trips to find that out."""
        if self._connection._conn.in_transaction:
            super().rollback()


def one_trip_statements(connection: Any, _record: Any) -> None:
    """A ``connect`` listener: this aiosqlite connection's cursors make one trip a statement.
    SQLAlchemy offers no setting for its cursor class, so the connection it made is given this
    subclass, which differs in that alone."""
    if type(connection) is AsyncAdapt_aiosqlite_connection:
        connection.__class__ = OneTripConnection

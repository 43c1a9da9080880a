"""Bulk writes: many rows through the driver's executemany, as plain tuples.

SQLAlchemy still compiles each statement (once per dialect) and supplies its columns' bind
processors, so values are stored exactly as the ORM would store them; what is skipped is its
per-row parameter handling, which cost several times the database's own work at ingest.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from bot.store.schema import Base

_Processors = tuple[tuple[int, Callable[[Any], Any]], ...]


def write_rows(
    connection: Connection,
    table: Table,
    columns: tuple[str, ...],
    keys: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    shared: Mapping[str, Any] | None = None,
    encoded: bool = False,
) -> None:
    """Insert ``rows``, each holding its values in ``columns`` order (already through
    ``encode_rows`` when ``encoded``), and the ``shared`` values (encoded once); with ``keys``, a
    row whose keys are taken replaces the one there."""
    if not rows:
        return
    shared = shared or {}
    writer = _writer(connection.dialect, table, columns, tuple(shared), keys)
    tail = _encode(writer.shared_processors, tuple(shared.values()))
    processors = () if encoded else writer.processors
    connection.exec_driver_sql(writer.sql, [_encode(processors, row) + tail for row in rows])


def encode_rows(
    dialect: Dialect, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """``rows`` as ``write_rows`` sends them to the driver: encoding can then be done ahead,
    away from the transaction (ingestion encodes a batch while another batch is written)."""
    processors = _column_processors(dialect, table, columns)
    return [_encode(processors, row) for row in rows]


@dataclass(frozen=True, slots=True)
class _Writer:
    sql: str
    processors: _Processors
    shared_processors: _Processors


def _encode(processors: _Processors, row: tuple[Any, ...]) -> tuple[Any, ...]:
    if not processors:
        return row
    values = list(row)
    for position, process in processors:
        values[position] = process(values[position])
    return tuple(values)


@lru_cache(maxsize=64)
def _writer(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    shared: tuple[str, ...],
    keys: tuple[str, ...],
) -> _Writer:
    every = columns + shared
    statement = upsert_statement(dialect, table, every, keys) if keys else insert(table)
    compiled = statement.compile(dialect=dialect, column_keys=list(every))
    if tuple(compiled.positiontup or ()) != every:
        raise RuntimeError(f"{table.name}: writing {every}, compiled {compiled.positiontup}")
    return _Writer(
        compiled.string,
        _column_processors(dialect, table, columns),
        _column_processors(dialect, table, shared),
    )


@lru_cache(maxsize=64)
def _column_processors(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> _Processors:
    """(position, processor) of each column whose values the dialect converts."""
    types = [table.columns[name].type.dialect_impl(dialect) for name in columns]
    found = ((i, kind.bind_processor(dialect)) for i, kind in enumerate(types))
    return tuple((i, process) for i, process in found if process is not None)


def upsert_statement(
    dialect: Dialect, table: Table, columns: tuple[str, ...], keys: tuple[str, ...]
) -> Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE the other ``columns``, on either engine."""
    if dialect.name == "postgresql":
        # Imported here: an ingest lane on SQLite never needs this dialect, and importing it is
        # about a tenth of the lane's start-up.
        from sqlalchemy.dialects import postgresql

        statement: postgresql.Insert | sqlite.Insert = postgresql.insert(table)
    else:
        statement = sqlite.insert(table)
    updates = {name: statement.excluded[name] for name in columns if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=updates)


def upsert(session: AsyncSession, table: Table, keys: Sequence[str]) -> Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE every other column, on either engine."""
    columns = tuple(column.name for column in table.columns)
    return upsert_statement(session.get_bind().dialect, table, columns, tuple(keys))


def table_of(model: type[Base]) -> Table:
    """The table behind a mapped class."""
    return cast(Table, model.__table__)

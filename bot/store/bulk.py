"""Bulk writes: many rows through the driver's executemany, as plain tuples.

SQLAlchemy still compiles each statement (once per dialect) and supplies its columns' bind
processors, so values are stored exactly as the ORM would store them; what is skipped is its
per-row parameter handling, which cost several times the database's own work at ingest.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

Processor = Callable[[Any], Any]


async def write_rows(
    session: AsyncSession,
    table: Table,
    columns: tuple[str, ...],
    keys: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Insert ``rows``, each holding its values in ``columns`` order; with ``keys``, a row whose
    keys are taken replaces the one there."""
    if not rows:
        return
    connection = await session.connection()
    writer = _writer(connection.dialect, table, columns, keys)
    await connection.exec_driver_sql(writer.sql, [writer.encode(row) for row in rows])


@dataclass(frozen=True, slots=True)
class _Writer:
    sql: str
    processors: tuple[tuple[int, Processor], ...]  # (position, processor) where one applies

    def encode(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for position, process in self.processors:
            values[position] = process(values[position])
        return tuple(values)


@lru_cache(maxsize=64)
def _writer(
    dialect: Dialect, table: Table, columns: tuple[str, ...], keys: tuple[str, ...]
) -> _Writer:
    statement = _upsert(dialect, table, columns, keys) if keys else insert(table)
    compiled = statement.compile(dialect=dialect, column_keys=list(columns))
    if tuple(compiled.positiontup or ()) != columns:
        raise RuntimeError(f"{table.name}: writing {columns}, compiled {compiled.positiontup}")
    types = [table.columns[name].type.dialect_impl(dialect) for name in columns]
    processors = ((i, kind.bind_processor(dialect)) for i, kind in enumerate(types))
    return _Writer(compiled.string, tuple((i, p) for i, p in processors if p is not None))


def _upsert(
    dialect: Dialect, table: Table, columns: tuple[str, ...], keys: tuple[str, ...]
) -> Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE the other columns, on either engine."""
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    statement = insert(table)
    updates = {name: statement.excluded[name] for name in columns if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=updates)

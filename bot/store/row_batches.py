"""Many rows' values in one statement: the rows travel as one JSON parameter and are read back
as a table (PostgreSQL's ``jsonb_to_recordset``, SQLite's ``json_each``), so an UPDATE (or an
INSERT … SELECT) of a batch is one statement joined to them rather than one execution per row.

Per-row executions cost the database a statement each and SQLAlchemy a round of parameter
handling each; the delivery ledger writes a few rows per delivery, and at a fan-out's pace that
was a large part of what the engine spent beyond the Slack calls themselves.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Dialect,
    FromClause,
    Integer,
    String,
    bindparam,
    column,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.type_api import TypeEngine

from bot.store.types import UTCDateTime

TEXT, INTEGER, MOMENT = "text", "integer", "moment"
_TYPES: dict[str, TypeEngine[Any]] = {TEXT: String(), INTEGER: Integer(), MOMENT: UTCDateTime()}


def rows_table(
    dialect: Dialect,
    name: str,
    columns: Mapping[str, str],
    rows: Sequence[Sequence[Any]],
) -> FromClause:
    """A table named ``name`` with ``columns`` (name -> TEXT, INTEGER or MOMENT) holding
    ``rows`` (values in ``columns`` order), to join an UPDATE to or select an INSERT from."""
    parameter = bindparam(f"{name}_rows", _encoded(dialect, columns, rows), type_=String())
    if dialect.name == "postgresql":
        return _postgres_rows(name, columns, parameter)
    return _sqlite_rows(name, columns, parameter)


def _postgres_rows(name: str, columns: Mapping[str, str], parameter: Any) -> FromClause:
    function = func.jsonb_to_recordset(parameter.cast(JSONB))
    typed = [column(key, _TYPES[kind]) for key, kind in columns.items()]
    return function.table_valued(*typed).render_derived(name=name, with_types=True)


def _sqlite_rows(name: str, columns: Mapping[str, str], parameter: Any) -> FromClause:
    elements = func.json_each(parameter).table_valued("value")
    values = [
        func.json_extract(elements.c.value, literal_column(f"'$.{key}'"), type_=_TYPES[kind])
        for key, kind in columns.items()
    ]
    labelled = [value.label(key) for value, key in zip(values, columns, strict=True)]
    return select(*labelled).select_from(elements).subquery(name)


def _encoded(dialect: Dialect, columns: Mapping[str, str], rows: Sequence[Sequence[Any]]) -> str:
    """The rows as a JSON list of objects. Only moments need encoding: the rest are built by
    ``dict(zip())``, which costs a fan-out's event loop a fraction of a per-value encoder call
    (the delivery ledger writes a batch of hundreds of rows several times a second)."""
    keys = list(columns)
    moments = [index for index, kind in enumerate(columns.values()) if kind == MOMENT]
    if moments:
        encode = _moment_encoder(dialect)
        rows = [_with_moments(row, moments, encode) for row in rows]
    return json.dumps([dict(zip(keys, row, strict=True)) for row in rows])


def _with_moments(
    row: Sequence[Any], moments: Sequence[int], encode: Callable[[Any], Any]
) -> list[Any]:
    values = list(row)
    for index in moments:
        values[index] = encode(values[index])
    return values


def _moment_encoder(dialect: Dialect) -> Callable[[datetime | None], str | None]:
    """A moment as the column stores it: SQLite keeps SQLAlchemy's text form of naive UTC (and
    compares it as text), so it is encoded by the column type's own processors."""
    processor = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)

    def encode(value: datetime | None) -> str | None:
        if value is None:
            return None
        stored = processor(value) if processor is not None else value
        return stored.isoformat() if isinstance(stored, datetime) else str(stored)

    return encode

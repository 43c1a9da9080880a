"""SQLAlchemy's statements on a SQLite file make one trip each to aiosqlite's thread, and
behave as SQLAlchemy's own cursor made them behave: rows, counts, errors, transactions."""

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store import Store, open_store
from bot.store.sqlite_trips import _run


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path}/trips.db")
    async with store.sessions() as session, session.begin():
        await session.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)"))
    yield store
    await store.close()


async def test_a_statement_is_one_trip(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips: list[object] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: object, *args: object) -> object:
        trips.append(fn)
        return await real(self, fn, *args)  # type: ignore[no-untyped-call]

    async with sqlite_store.sessions() as session:
        await session.execute(text("SELECT 1"))  # the connection is open, its pragmas set
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        assert (await session.execute(text("SELECT 2"))).scalar() == 2
    assert trips == [_run]  # nothing to roll back: sqlite3 begins only for writes


async def test_a_write_left_open_is_rolled_back(sqlite_store: Store) -> None:
    async with sqlite_store.sessions() as session:
        await session.execute(text("INSERT INTO things (name) VALUES ('never committed')"))
    async with sqlite_store.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM things"))).scalar() == 0


async def test_rows_counts_and_ids_are_as_sqlalchemy_gave_them(sqlite_store: Store) -> None:
    async with sqlite_store.sessions() as session, session.begin():
        inserted = await session.execute(text("INSERT INTO things (name) VALUES ('a')"))
        assert inserted.lastrowid == 1  # type: ignore[attr-defined]
        await session.execute(
            text("INSERT INTO things (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        updated = await session.execute(text("UPDATE things SET name = 'x' WHERE id > 1"))
        assert updated.rowcount == 2  # type: ignore[attr-defined]
        returned = await session.execute(text("DELETE FROM things WHERE id = 3 RETURNING name"))
        assert returned.all() == [("x",)]
    async with sqlite_store.sessions() as session:
        result = await session.execute(text("SELECT id, name FROM things ORDER BY id"))
        assert list(result.keys()) == ["id", "name"]
        assert result.all() == [(1, "a"), (2, "x")]


async def test_errors_and_rollbacks_are_sqlalchemy_s(sqlite_store: Store) -> None:
    with pytest.raises(IntegrityError):
        async with sqlite_store.sessions() as session, session.begin():
            await session.execute(text("INSERT INTO things (id, name) VALUES (7, 'a')"))
            await session.execute(text("INSERT INTO things (id, name) VALUES (7, 'b')"))
    async with sqlite_store.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM things"))).scalar() == 0

"""Alembic owns the schema: the same migrations go up and down on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import migrations, open_store
from bot.store.database import create_engine
from bot.store.schema import is_modelled, metadata

NEWSBOT_TABLES = {
    "posts",
    "post_categories",
    "post_files",
    "post_search",
    "subscriptions",
    "channel_states",
    "deliveries",
    "delivery_channels",
    "planned_posts",
    "slack_events",
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
    "workspace_routes",
    "history_lookups",
    "sources",
}


def _all_tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _tables(connection: Connection) -> set[str]:
    return {name for name in _all_tables(connection) if is_modelled(name, "table", {})}


def _full_text_index(connection: Connection) -> set[str]:
    """The engine's own search objects, which the models leave out."""
    if connection.dialect.name == "sqlite":
        return set(inspect(connection).get_table_names()) & {"post_search_fts"}
    return {index["name"] or "" for index in inspect(connection).get_indexes("post_search")}


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"include_name": is_modelled})
    return list(compare_metadata(context, metadata))


async def test_migrations_go_up_and_down(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == NEWSBOT_TABLES
            assert await connection.run_sync(_differences) == []
            index = await connection.run_sync(_full_text_index)
            assert index & {"post_search_fts", "ix_post_search_document"}
        assert await migrations.current_revision(engine) == migrations.head_revision()
        await migrations.downgrade(engine, "base")
        async with engine.connect() as connection:
            assert await connection.run_sync(_all_tables) == set()
        assert await migrations.current_revision(engine) is None
        await migrations.upgrade(engine)
        assert await migrations.current_revision(engine) == migrations.head_revision()
    finally:
        await engine.dispose()


async def test_slack_rows_carry_team_id(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        async with engine.connect() as connection:
            keys = await connection.run_sync(
                lambda sync: {
                    table: inspect(sync).get_pk_constraint(table)["constrained_columns"]
                    for table in ("subscriptions", "channel_states", "deliveries")
                }
            )
    finally:
        await engine.dispose()
    assert keys["subscriptions"][0] == "team_id"
    assert keys["channel_states"] == ["team_id", "channel_id"]
    assert keys["deliveries"] == ["team_id", "channel_id", "post_id"]


async def test_embedded_sqlite_migrates_itself_on_first_use(sqlite_url: str) -> None:
    store = await open_store(sqlite_url)
    try:
        assert await migrations.current_revision(store.engine) == migrations.head_revision()
    finally:
        await store.close()


_SEGMENTS = "SELECT count(DISTINCT segid) FROM post_search_fts_idx"


async def _segments_after_one_transaction(engine: AsyncEngine, first_rowid: int) -> int:
    """Write 1,500 long documents to the SQLite search index in one transaction; the number of
    new segments that leaves behind."""
    words = [f"w{n}x{n % 7}" for n in range(4000)]
    rows = [
        (first_rowid + i, " ".join(words[(i * 37 + k) % 4000] for k in range(250)))
        for i in range(1500)
    ]
    async with engine.begin() as connection:
        before = (await connection.exec_driver_sql(_SEGMENTS)).scalar_one()
        await connection.exec_driver_sql(
            "INSERT INTO post_search_fts (rowid, body) VALUES (?, ?)", rows
        )
    async with engine.connect() as connection:
        return int((await connection.exec_driver_sql(_SEGMENTS)).scalar_one()) - int(before)


async def test_sqlite_search_index_writes_a_large_transaction_as_one_segment(
    sqlite_url: str,
) -> None:
    """Migration 0008: a transaction's postings stay in memory until its commit, so a batch no
    longer leaves several small segments for later batches to merge. Down, the default again."""
    engine = create_engine(sqlite_url)
    try:
        await migrations.upgrade(engine)
        assert await _segments_after_one_transaction(engine, 1) == 1
        await migrations.downgrade(engine, "0007")
        assert await _segments_after_one_transaction(engine, 10_001) > 1
    finally:
        await engine.dispose()

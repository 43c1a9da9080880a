"""Alembic's entry point. newsbot passes its own connection in ``config.attributes``; the plain
``alembic`` command line (run from the checkout) connects to DATABASE_URL instead."""

import asyncio

from alembic import context
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.runtime.settings import Settings
from bot.store.schema import is_modelled, metadata

# Any fixed number: replicas that upgrade at once take turns on PostgreSQL.
_MIGRATION_LOCK = 7_460_120_411


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=is_modelled,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        context.run_migrations()


async def run_on_own_engine(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()


def main() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or Settings().database_url
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_on_own_engine(url))
    else:
        run_migrations(connection)


main()

"""Opening the store: the engine, the session factory, and a schema that is up to date."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.store.changes import PostChanges, track_post_changes
from bot.store.sqlite_trips import one_trip_statements

log = logging.getLogger(__name__)

CHECKPOINT_PAGES = 10_000  # SQLite's wal_autocheckpoint, see _tune_sqlite


# SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGED_FILE_CODES = frozenset({11, 26})


class StoreError(RuntimeError):
    """The store cannot be used; the message says what to do, for a person."""


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` (a driver's, or SQLAlchemy's around it) says the database file is
    damaged, as opposed to busy, unreachable or asked something wrong."""
    cause = getattr(error, "orig", None) or error
    code = getattr(cause, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _DAMAGED_FILE_CODES  # extended codes too


@dataclass
class DamageWatch:
    """The first sign, in any query of this process, that the database file is damaged: kept
    (for the health check) and told to each of ``listeners`` once."""

    error: str | None = None
    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def note(self, context: ExceptionContext) -> None:
        if self.error is None and is_damage(context.original_exception):
            self.error = str(context.original_exception)
            for listener in self.listeners:
                listener(self.error)


@dataclass(frozen=True)
class Store:
    """``changes`` counts this process's committed writes to posts (see ``make_store``);
    ``damage`` says whether a query found the database file damaged."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    changes: PostChanges = field(default_factory=PostChanges)
    damage: DamageWatch = field(default_factory=DamageWatch)

    @property
    def url(self) -> str:
        """The database's URL, password included: for another process to open it."""
        return self.engine.url.render_as_string(hide_password=False)

    async def close(self) -> None:
        await self.engine.dispose()


# Connections kept open for reuse, and how many more may be open for a moment.
POOL_SIZE, POOL_OVERFLOW = 16, 16


def create_engine(url: str) -> AsyncEngine:
    # SQLAlchemy keeps 5 connections by default and closes any other one when it is given
    # back: under 16 concurrent slash commands each answer past the fifth opened a connection
    # of its own (a PostgreSQL backend started, or a SQLite thread), which cost more than the
    # answer. Connections are still opened only when needed. (An in-memory SQLite has one.)
    address = make_url(url)
    in_memory = address.get_backend_name() == "sqlite" and address.database in (
        None,
        "",
        ":memory:",
    )
    pool = {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    engine = create_async_engine(url, **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", one_trip_statements)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(connection: Any, _record: Any, checkpoint_pages: int = CHECKPOINT_PAGES) -> None:
    cursor = connection.cursor()
    # WAL lets `newsbot serve` read while `newsbot ingest` writes; the timeout waits out a writer.
    # The log is copied back into the database every 10,000 pages (40 MB) by default, not SQLite's
    # 1,000: a bulk ingest rewrites the same index pages transaction after transaction, and copied
    # back less often each goes back fewer times (about a tenth less database work per post).
    # Ingestion's lanes copy it themselves after each turn and pass a larger bound. The size
    # limit keeps the log file from staying at the size of the largest transaction.
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=10000",
        f"wal_autocheckpoint={checkpoint_pages}",
        "journal_size_limit=67108864",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def create_sync_engine(url: str, checkpoint_pages: int = CHECKPOINT_PAGES) -> Engine | None:
    """A synchronous engine for a SQLite ``url`` (through the standard library's driver, tuned
    like ``create_engine``'s, but copying its log back into the database once it holds
    ``checkpoint_pages``); None for other databases, whose drivers here are asynchronous."""
    address = make_url(url)
    if address.get_backend_name() != "sqlite":
        return None
    engine = sqlalchemy.create_engine(address.set(drivername="sqlite+pysqlite"))
    event.listen(engine, "connect", partial(_tune_sqlite, checkpoint_pages=checkpoint_pages))
    return engine


def checkpoint(engine: Engine) -> None:
    """Copy what a SQLite write-ahead log holds back into the database file, as far as can be
    done without waiting for anyone (a writer may carry on meanwhile). A failure loses nothing:
    the pages stay in the log, and a later checkpoint copies them."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    except SQLAlchemyError as error:
        log.warning("could not copy SQLite's log back into the database (will retry): %s", error)


async def open_store(url: str) -> Store:
    """Connect and make sure the schema is current: the embedded SQLite default migrates itself;
    a shared PostgreSQL is migrated on purpose with ``newsbot db upgrade``."""
    engine = create_engine(url)
    try:
        await ensure_schema(engine, migrate=engine.dialect.name == "sqlite")
    except BaseException:
        await engine.dispose()
        raise
    return make_store(engine)


def make_store(engine: AsyncEngine) -> Store:
    """A store whose ``changes`` go up each time one of its sessions commits a write to posts,
    and whose ``damage`` notes the first query that finds the database file damaged."""
    sync_sessions: sessionmaker[Session] = sessionmaker()
    changes = PostChanges()
    track_post_changes(sync_sessions, changes)
    sessions = async_sessionmaker(engine, expire_on_commit=False, sync_session_class=sync_sessions)
    damage = DamageWatch()
    event.listen(engine.sync_engine, "handle_error", damage.note)
    return Store(engine, sessions, changes, damage)


def shown_url(database: AsyncEngine | str) -> str:
    """The database's URL (an engine's, or as written) without its password, for people."""
    url = database if isinstance(database, str) else database.url
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite ``url`` names (None for other databases and for one in memory)."""
    address = make_url(url)
    if address.get_backend_name() != "sqlite" or address.database in (None, "", ":memory:"):
        return None
    return Path(address.database)


def store_error(url: str, error: BaseException) -> StoreError:
    """One sentence for a person about a failure of the database at ``url``: damaged (with
    what to run), or unreachable (with the driver's reason)."""
    cause = getattr(error, "orig", None) or error
    detail = str(cause).strip() or type(cause).__name__
    shown = shown_url(url)
    template = messages.DB_DAMAGED if is_damage(error) else messages.DB_UNREACHABLE
    return StoreError(template.format(url=shown, error=detail))


@contextmanager
def database_errors(engine: AsyncEngine) -> Iterator[None]:
    """Turn a driver's failure into a StoreError a person can act on."""
    try:
        yield
    except (SQLAlchemyError, OSError) as error:
        url = engine.url.render_as_string(hide_password=False)
        raise store_error(url, error) from error


async def ensure_schema(engine: AsyncEngine, migrate: bool) -> None:
    # Imported here: Alembic (with Mako) takes a tenth of a second to import, and ingestion's
    # worker processes, which open the store without checking its schema, never need it.
    from bot.store import migrations

    with database_errors(engine):
        current = await migrations.current_revision(engine)
        head = migrations.head_revision()
        if current == head:
            return
        if not migrate:
            shown = shown_url(engine)
            raise StoreError(
                messages.DB_BEHIND.format(url=shown, current=current or "none", head=head)
            )
        log.info("migrating %s from %s to %s", shown_url(engine), current, head)
        await migrations.upgrade(engine)

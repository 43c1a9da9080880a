"""Whether the database is intact. On SQLite, SQLite's own check of the file: ``PRAGMA
quick_check`` when ``newsbot serve`` starts (given a few seconds at most), ``PRAGMA
integrity_check`` for ``newsbot db check``. On PostgreSQL, which checks its own pages, whether
every one of newsbot's tables can be read through."""

import asyncio
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.store.database import create_engine, sqlite_file
from bot.store.schema import Base

# How many problems SQLite lists before it stops looking for more.
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Integrity:
    """``problems`` is empty for an intact database; ``finished`` is False when the check ran
    out of time before it could say."""

    problems: tuple[str, ...] = ()
    finished: bool = True

    @property
    def intact(self) -> bool:
        return self.finished and not self.problems


async def check_integrity(url: str, seconds: float | None = None) -> Integrity:
    """The full check (``seconds`` None), or SQLite's quicker one given ``seconds`` at most."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            return Integrity()  # nothing to check yet (and nothing created by looking)
        return await asyncio.to_thread(_check_sqlite_file, path, seconds)
    if seconds is not None:
        return Integrity()  # PostgreSQL checks its pages as it reads them
    return await _read_every_table(url)


def _check_sqlite_file(path: Path, seconds: float | None) -> Integrity:
    pragma = "integrity_check" if seconds is None else "quick_check"
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as error:
        return Integrity((str(error),))
    timer = threading.Timer(seconds, connection.interrupt) if seconds is not None else None
    try:
        if timer is not None:
            timer.start()
        rows = connection.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            return Integrity(finished=False)
        return Integrity((str(error),))
    except sqlite3.DatabaseError as error:  # damaged beyond what the check can walk through
        return Integrity((str(error),))
    finally:
        if timer is not None:
            timer.cancel()
        connection.close()
    found = tuple(str(row[0]) for row in rows)
    return Integrity(() if found == ("ok",) else found)


async def _read_every_table(url: str) -> Integrity:
    engine = create_engine(url)
    problems = []
    try:
        for table in Base.metadata.sorted_tables:
            try:
                async with engine.connect() as connection:
                    await connection.scalar(select(func.count()).select_from(table))
            except SQLAlchemyError as error:
                cause = getattr(error, "orig", None) or error
                problems.append(f"{table.name}: {cause}")
    finally:
        await engine.dispose()
    return Integrity(tuple(problems))

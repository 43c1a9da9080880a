"""Damaging a SQLite database file the way a failing disk or a stray write would."""

import random
import sqlite3
from contextlib import closing
from pathlib import Path


def damage_table(database: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (or index) with noise: every read of it fails."""
    with closing(sqlite3.connect(database)) as connection:
        [(root,)] = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchall()
        [(page_size,)] = connection.execute("PRAGMA page_size").fetchall()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    _scribble(database, (root - 1) * page_size, page_size)


def damage_middle(database: Path, size: int = 64 * 1024) -> None:
    """Write ``size`` bytes of noise into the middle of the file, as the issue did."""
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _scribble(database, database.stat().st_size // 2, size)


def _scribble(database: Path, offset: int, size: int) -> None:
    with database.open("r+b") as file:
        file.seek(offset)
        file.write(random.Random(offset).randbytes(size))

"""SQLite's full-text indexes hold up to 16 MB of a transaction's new postings in memory, not 1 MB.

FTS5 collects a transaction's postings in an in-memory hash and writes them out as a segment
each time the hash outgrows ``hashsize`` (1 MB by default), as well as at commit. A batch of
2,000 ingested posts overflowed it three times, so each batch left four small segments, and
every sixteen of them cost a merge inside some later batch's commit. With 16 MB a batch becomes
one segment: writing a batch took about a fifth less time at 20,000 and at 100,000 posts. The
memory is held only while a transaction writes to the index.

The merge policy is unchanged (migration 0007). A search's cost grows with the number of
segments it looks in, which rises and falls as the index grows under either setting: after
100,000 ingested posts there were 8 here against 2 before, and searches there took 9-35% more
CPU time (by query class), well within their 30 ms target (bench/search.py).

PostgreSQL's GIN index has no such setting.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("post_search_fts", "post_title_fts")
_SET_HASHSIZE = "INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {value})"
PENDING_BYTES = 16 * 1024 * 1024
DEFAULT_PENDING_BYTES = 1024 * 1024


def upgrade() -> None:
    _set_hashsize(PENDING_BYTES)


def downgrade() -> None:
    _set_hashsize(DEFAULT_PENDING_BYTES)


def _set_hashsize(value: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _TABLES:
            op.execute(_SET_HASHSIZE.format(table=table, value=value))

"""SQLite's full-text indexes merge their segments sixteen at a time, not four.

FTS5 writes each transaction's new postings as a segment and, with its default ``automerge`` of
4, merges segments four at a time as they pile up: a posting is rewritten about log4(segments)
times. Sixteen at a time rewrites it about half as often, which took about a third off the
database's work per ingested post, while an index still has no more than fifteen segments per
level to look in (at 20,000 posts it ended with fewer than under the default). PostgreSQL's GIN
index has no such setting.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("post_search_fts", "post_title_fts")
_SET_AUTOMERGE = "INSERT INTO {table} ({table}, rank) VALUES ('automerge', {value})"


def upgrade() -> None:
    _set_automerge(16)


def downgrade() -> None:
    _set_automerge(4)


def _set_automerge(value: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _TABLES:
            op.execute(_SET_AUTOMERGE.format(table=table, value=value))

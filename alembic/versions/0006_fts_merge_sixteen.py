"""SQLite's full-text index merges its segments sixteen at a time, not four.

FTS5 writes each transaction's new postings as a segment and, with its default ``automerge`` of
4, merges segments four at a time as they pile up: a posting is rewritten about log4(segments)
times. Sixteen at a time rewrites it about half as often, which took about a third off the
database's work per ingested post, while an index still has no more than fifteen segments per
level to look in (at 20,000 posts it ended with fewer than under the default). PostgreSQL's GIN
index has no such setting.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SET_AUTOMERGE = "INSERT INTO post_search_fts (post_search_fts, rank) VALUES ('automerge', {})"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SET_AUTOMERGE.format(16))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SET_AUTOMERGE.format(4))

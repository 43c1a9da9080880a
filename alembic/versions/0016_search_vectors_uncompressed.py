"""PostgreSQL keeps a post's search vector out of line without first trying to compress it.

A post's weighted tsvector (``post_search.document``) is about 2.6 KB for a post of 1.8 KB, so
the row is over the size at which PostgreSQL moves values out of line, and by default it first
tries to compress the vector. A tsvector (sorted lexemes with their positions) compresses too
little for pglz to keep the result, so the attempt is thrown away: measured at 10,000 posts it
was about 0.025 ms of server CPU a post, a fifth of what inserting the row into its table and
both GIN indexes costs. ``EXTERNAL`` stores the very layout the failed attempt leaves (out of
line, uncompressed) without the attempt; rows already stored keep theirs. Nothing on SQLite.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every tsvector column the table has: the whole document and the title's (migration 0006), and
# any added since.
_VECTOR_COLUMNS = (
    "SELECT attname FROM pg_attribute WHERE attrelid = 'post_search'::regclass "
    "AND atttypid = 'tsvector'::regtype AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
)


def upgrade() -> None:
    _set_storage("EXTERNAL")


def downgrade() -> None:
    _set_storage("EXTENDED")


def _set_storage(storage: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for column in bind.execute(sa.text(_VECTOR_COLUMNS)).scalars():
        op.execute(f'ALTER TABLE post_search ALTER COLUMN "{column}" SET STORAGE {storage}')

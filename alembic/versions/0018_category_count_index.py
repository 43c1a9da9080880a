"""An index of the categories' rows that ``/news categories`` counts from alone.

Counting each category's posts read every row of ``post_categories`` through the index of its
key, row by row (5 ms at 20,000 posts on SQLite). With the tag flag, the key and the name in
one index, the count reads that index only, in key order.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_post_categories_tag_key_name"


def upgrade() -> None:
    op.create_index(_INDEX, "post_categories", ["tag", "key", "name"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="post_categories")

"""Posts gain Jekyll's conventions: tags (as topics beside the categories), the source link's
label, the author and an image. Every post file is read again on the next scan, so posts already
stored pick up the new fields and aliases, and their text is indexed again with the scripts
written without spaces (Chinese, Japanese, Korean, Thai, ...) split into characters. A file
whose content is unchanged keeps its post and is not delivered again.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = ("source_label", "author", "image")
# A size and a hash no file has: the next scan reads and parses every file again instead of
# skipping it on its stat or its bytes. Its post keeps its content hash, so nothing is delivered
# again; the scan reports the files as updated.
_STALE_STAMPS = "UPDATE post_files SET size = -1, content_hash = ''"


def upgrade() -> None:
    op.add_column(
        "posts", sa.Column("tags", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
    )
    for name in _TEXT_COLUMNS:
        op.add_column("posts", sa.Column(name, sa.Text(), nullable=True))
    op.add_column(
        "post_categories",
        sa.Column("tag", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(_STALE_STAMPS)


def downgrade() -> None:
    op.execute("DELETE FROM post_categories WHERE tag")
    op.drop_column("post_categories", "tag")
    for name in ("tags", *_TEXT_COLUMNS):
        op.drop_column("posts", name)
    op.execute(_STALE_STAMPS)

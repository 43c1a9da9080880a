"""Sources: git repositories and web feeds that newsbot fetches posts from, with the lease that
lets one replica at a time fetch each.

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("branch", sa.String(200), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("category", sa.String(200), nullable=True),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.Column("next_fetch_at", _MOMENT, nullable=False),
        sa.Column("last_fetch_at", _MOMENT, nullable=True),
        sa.Column("last_success_at", _MOMENT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_warning", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failing_since", _MOMENT, nullable=True),
        sa.Column("reported_at", _MOMENT, nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_index("ix_sources_next_fetch_at", "sources", ["next_fetch_at"])


def downgrade() -> None:
    op.drop_index("ix_sources_next_fetch_at", table_name="sources")
    op.drop_table("sources")

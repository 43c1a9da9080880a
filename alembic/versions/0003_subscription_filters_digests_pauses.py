"""Subscriptions gain filters (sentiment, keywords) and digests; channels gain a pause state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SLACK_ID = sa.String(32)
_MOMENT = sa.DateTime(timezone=True)
_DIGEST_COLUMNS = ("digest", "digest_tz", "digest_next_at", "digest_last_at")


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("min_sentiment", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("keywords", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(sa.Column("digest", sa.String(32), nullable=True))
        batch.add_column(sa.Column("digest_tz", sa.String(64), nullable=True))
        batch.add_column(sa.Column("digest_next_at", _MOMENT, nullable=True))
        batch.add_column(sa.Column("digest_last_at", _MOMENT, nullable=True))
    op.create_index("ix_subscriptions_digest_next_at", "subscriptions", ["digest_next_at"])
    op.create_table(
        "channel_states",
        sa.Column("team_id", _SLACK_ID, nullable=False),
        sa.Column("channel_id", _SLACK_ID, nullable=False),
        sa.Column("paused_at", _MOMENT, nullable=True),
        sa.Column("paused_by", _SLACK_ID, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id", name=op.f("pk_channel_states")),
    )


def downgrade() -> None:
    op.drop_table("channel_states")
    op.drop_index("ix_subscriptions_digest_next_at", table_name="subscriptions")
    with op.batch_alter_table("subscriptions") as batch:
        for column in (*_DIGEST_COLUMNS, "keywords", "min_sentiment"):
            batch.drop_column(column)

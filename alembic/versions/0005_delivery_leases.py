"""The delivery ledger gains per-channel leases and pacing, send times and errors, and a record of
which posts have been fanned out.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(200)
_HASH = sa.String(64)
_SLACK_ID = sa.String(32)
_MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("sending_since", _MOMENT, nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
    op.create_table(
        "delivery_channels",
        sa.Column("team_id", _SLACK_ID, nullable=False),
        sa.Column("channel_id", _SLACK_ID, nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _MOMENT, nullable=True),
        sa.Column("not_before", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id", name=op.f("pk_delivery_channels")),
    )
    op.create_table(
        "planned_posts",
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("planned_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_planned_posts_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_planned_posts")),
    )
    # Posts already in the store are not news to anyone: only posts that arrive from now on are
    # fanned out to subscribed channels.
    op.execute(
        "INSERT INTO planned_posts (post_id, content_hash, planned_at) "
        "SELECT id, content_hash, updated_at FROM posts"
    )


def downgrade() -> None:
    op.drop_table("planned_posts")
    op.drop_table("delivery_channels")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("last_error")
        batch.drop_column("sending_since")

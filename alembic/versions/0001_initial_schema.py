"""Posts, their categories and file index; Slack subscriptions and the delivery ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(200)
_HASH = sa.String(64)
_SLACK_ID = sa.String(32)
_MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_at", _MOMENT, nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("sentiment_label", sa.Text(), nullable=True),
        sa.Column("tldr", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("updated_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
    )
    op.create_index(op.f("ix_posts_published_at"), "posts", ["published_at"])
    op.create_table(
        "post_categories",
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("key", _ID, nullable=False),
        sa.Column("name", _ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_categories_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "key", name=op.f("pk_post_categories")),
    )
    op.create_index(op.f("ix_post_categories_key"), "post_categories", ["key"])
    op.create_table(
        "post_files",
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_files_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_post_files")),
    )
    op.create_index(op.f("ix_post_files_post_id"), "post_files", ["post_id"])
    _create_slack_tables()


def _create_slack_tables() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("team_id", _SLACK_ID, nullable=False),
        sa.Column("channel_id", _SLACK_ID, nullable=False),
        sa.Column("category_key", _ID, nullable=False),
        sa.Column("category_name", _ID, nullable=False),
        sa.Column("created_by", _SLACK_ID, nullable=True),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint(
            "team_id", "channel_id", "category_key", name=op.f("pk_subscriptions")
        ),
    )
    op.create_table(
        "deliveries",
        sa.Column("team_id", _SLACK_ID, nullable=False),
        sa.Column("channel_id", _SLACK_ID, nullable=False),
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("message_ts", _SLACK_ID, nullable=True),
        sa.Column("content_hash", _HASH, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_deliveries_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "channel_id", "post_id", name=op.f("pk_deliveries")),
    )
    op.create_index("ix_deliveries_state", "deliveries", ["state"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("subscriptions")
    op.drop_table("post_files")
    op.drop_table("post_categories")
    op.drop_table("posts")

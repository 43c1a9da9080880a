"""Subscriptions gain excluded words and thread mode; the ledger remembers a threaded delivery.

``subscriptions.excluded`` holds the words and phrases that keep a post out of the channel;
``subscriptions.thread`` posts each summary as a short parent with its card as the first reply.
``deliveries.threaded`` says a row is to be (or was) delivered that way, as planned, and
``deliveries.reply_ts`` is the card reply's ``ts``, so an edit updates both messages.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(
            sa.Column("excluded", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(
            sa.Column("thread", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(
            sa.Column("threaded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("reply_ts", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("reply_ts")
        batch.drop_column("threaded")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("thread")
        batch.drop_column("excluded")

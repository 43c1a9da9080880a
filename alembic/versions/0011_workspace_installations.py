"""Installing newsbot in many workspaces: bolt's OAuth tables and the routes to them.

``slack_installations``, ``slack_bots`` and ``slack_oauth_states`` are the tables of slack_sdk's
``AsyncSQLAlchemyInstallationStore`` and ``AsyncSQLAlchemyOAuthStateStore``, written out here
column for column (as slack_sdk 3.48 builds them), so the schema stays Alembic's even if a later
slack_sdk changes its own definition. ``workspace_routes`` says which installation serves a
workspace (its own, or its Enterprise Grid org's); ``history_lookups`` paces the crash-recovery
``conversations.history`` lookups per workspace across replicas.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sa.DateTime(timezone=True)
_BOT_COLUMNS = (
    ("bot_token", 200),
    ("bot_id", 32),
    ("bot_user_id", 32),
    ("bot_scopes", 1000),
    ("bot_refresh_token", 200),
)


def _workspace_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
    ]


def _bot_columns() -> list[sa.Column[object]]:
    columns: list[sa.Column[object]] = [sa.Column(name, sa.String(n)) for name, n in _BOT_COLUMNS]
    return [*columns, sa.Column("bot_token_expires_at", sa.DateTime())]


def _installed_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    ]


def _create_installations() -> None:
    op.create_table(
        "slack_installations",
        *_workspace_columns(),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        *_bot_columns(),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("token_type", sa.String(32)),
        *_installed_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )


def _create_bots() -> None:
    op.create_table(
        "slack_bots",
        *_workspace_columns(),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        *_bot_columns(),
        *_installed_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
    )
    op.create_index(
        "slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]
    )


def _create_newsbot_tables() -> None:
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
    )
    op.create_table(
        "workspace_routes",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("seen_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("team_id", name="pk_workspace_routes"),
    )
    op.create_index(
        "ix_workspace_routes_enterprise_id", "workspace_routes", ["enterprise_id"], unique=False
    )
    op.create_table(
        "history_lookups",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("next_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("team_id", name="pk_history_lookups"),
    )


def upgrade() -> None:
    _create_installations()
    _create_bots()
    _create_newsbot_tables()


def downgrade() -> None:
    op.drop_table("history_lookups")
    op.drop_index("ix_workspace_routes_enterprise_id", table_name="workspace_routes")
    op.drop_table("workspace_routes")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")

"""Workspaces that installed newsbot: which installation serves each workspace, the operator's
list, and forgetting a workspace entirely. Never commits: the caller owns the transaction.

An installation is keyed by Slack's (enterprise, team): a workspace's own install has a team id
(and its Enterprise Grid org's id, if any); an org-wide install has the org's id and no team id,
and serves every workspace of the org. ``workspace_routes`` maps each workspace to the
installation that serves it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.bulk import table_of, upsert
from bot.store.schema import (
    BOTS,
    INSTALLATIONS,
    ChannelStateRow,
    DeliveryChannelRow,
    DeliveryRow,
    HistoryLookupRow,
    SlackEventRow,
    SubscriptionRow,
    WorkspaceRouteRow,
)

# Everything newsbot keeps about a workspace's channels and events, by ``team_id``.
TEAM_ROWS = (
    SubscriptionRow,
    ChannelStateRow,
    DeliveryRow,
    DeliveryChannelRow,
    SlackEventRow,
    HistoryLookupRow,
    WorkspaceRouteRow,
)
DELIVERED = ("sent", "outdated")


@dataclass(frozen=True, slots=True)
class Route:
    """The installation that serves ``team_id``: (``enterprise_id``, ``team_id``) for its own,
    (``enterprise_id``, none) for its org's org-wide install."""

    team_id: str
    enterprise_id: str | None
    is_enterprise_install: bool

    @property
    def installation_team(self) -> str | None:
        return None if self.is_enterprise_install else self.team_id


@dataclass(frozen=True, slots=True)
class InstalledWorkspace:
    """One installation, as ``newsbot workspaces`` lists it."""

    key: str  # the team id, or the org's id for an org-wide install
    name: str
    org_wide: bool
    installed_at: datetime
    channels: int
    last_delivery: datetime | None
    token_expires_at: datetime | None


async def save_route(session: AsyncSession, route: Route, now: datetime | None = None) -> None:
    values = {
        "team_id": route.team_id,
        "enterprise_id": route.enterprise_id,
        "is_enterprise_install": route.is_enterprise_install,
        "seen_at": now or datetime.now(UTC),
    }
    await session.execute(upsert(session, table_of(WorkspaceRouteRow), ("team_id",)), [values])


async def route_of(session: AsyncSession, team_id: str) -> Route | None:
    row = await session.get(WorkspaceRouteRow, team_id)
    if row is None:
        return None
    return Route(row.team_id, row.enterprise_id, row.is_enterprise_install)


async def installed_workspaces(session: AsyncSession) -> list[InstalledWorkspace]:
    """Every installation (the newest row of each), oldest install first."""
    rows = (await session.execute(select(BOTS).order_by(BOTS.c.installed_at))).mappings().all()
    newest = {(row["enterprise_id"], row["team_id"]): row for row in rows}
    return [await _summary(session, row) for row in newest.values()]


async def _summary(session: AsyncSession, row: Any) -> InstalledWorkspace:
    org_wide = row["team_id"] is None
    teams = await _served_teams(session, row["enterprise_id"], row["team_id"])
    channels = select(func.count()).select_from(
        select(SubscriptionRow.team_id, SubscriptionRow.channel_id)
        .where(SubscriptionRow.team_id.in_(teams))
        .distinct()
        .subquery()
    )
    last = select(func.max(DeliveryRow.updated_at)).where(
        DeliveryRow.team_id.in_(teams), DeliveryRow.state.in_(DELIVERED)
    )
    return InstalledWorkspace(
        key=row["enterprise_id"] if org_wide else row["team_id"],
        name=(row["enterprise_name"] if org_wide else row["team_name"]) or "",
        org_wide=org_wide,
        installed_at=_aware(row["installed_at"]),
        channels=int(await session.scalar(channels) or 0),
        last_delivery=await session.scalar(last),
        token_expires_at=_utc(row["bot_token_expires_at"]),
    )


async def _served_teams(
    session: AsyncSession, enterprise_id: str | None, team_id: str | None
) -> list[str]:
    if team_id is not None:
        return [team_id]
    found = await session.scalars(
        select(WorkspaceRouteRow.team_id).where(
            WorkspaceRouteRow.enterprise_id == enterprise_id,
            WorkspaceRouteRow.is_enterprise_install.is_(True),
        )
    )
    return list(found)


async def forget_workspace(session: AsyncSession, key: str) -> list[str]:
    """Delete everything newsbot keeps about a workspace (``key`` is its team id) or about an
    org-wide install and every workspace it served (``key`` is the org's id): its
    installation and tokens, subscriptions, pauses, the delivery ledger (pending and delivered
    alike), digests, event records and routes. Returns ``key`` and the workspaces it served;
    empty when nothing was known under ``key``."""
    org_wide = await _is_org_install(session, key)
    teams = await _served_teams(session, key, None) if org_wide else [key]
    found = await _installation_rows(session, key, org_wide)
    for model in TEAM_ROWS:
        table = table_of(model)
        result = await session.execute(delete(table).where(table.c.team_id.in_(teams)))
        found += int(result.rowcount)  # type: ignore[attr-defined]
    return list(dict.fromkeys([key, *teams])) if found else []


async def _is_org_install(session: AsyncSession, key: str) -> bool:
    statement = select(func.count()).where(BOTS.c.enterprise_id == key, BOTS.c.team_id.is_(None))
    return bool(await session.scalar(statement))


async def _installation_rows(session: AsyncSession, key: str, org_wide: bool) -> int:
    removed = 0
    for table in (INSTALLATIONS, BOTS):
        where: ColumnElement[bool] = (
            and_(table.c.enterprise_id == key, table.c.team_id.is_(None))
            if org_wide
            else table.c.team_id == key
        )
        result = await session.execute(delete(table).where(where))
        removed += int(result.rowcount)  # type: ignore[attr-defined]
    return removed


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _aware(moment: datetime) -> datetime:
    """slack_sdk stores naive UTC times."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

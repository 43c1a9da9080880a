"""A channel's delivery state: paused (by a person or by a failure) and its recent deliveries.

These functions never commit: the caller owns the transaction.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.bulk import table_of, upsert
from bot.store.schema import ChannelStateRow, DeliveryRow, PostRow


@dataclass(frozen=True, slots=True)
class ChannelPause:
    """Why nothing is posted to a channel: ``paused_by`` is the person who paused it, or
    ``None`` when delivery failed and ``reason`` holds Slack's error."""

    team_id: str
    channel_id: str
    paused_at: datetime
    paused_by: str | None
    reason: str | None

    @property
    def by_failure(self) -> bool:
        return self.paused_by is None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One line of a channel's delivery history, for ``/news status``."""

    post_id: str
    title: str
    state: str
    updated_at: datetime


def _to_pause(row: ChannelStateRow) -> ChannelPause | None:
    if row.paused_at is None:
        return None
    return ChannelPause(row.team_id, row.channel_id, row.paused_at, row.paused_by, row.reason)


async def pause_channel(
    session: AsyncSession,
    team_id: str,
    channel_id: str,
    reason: str | None,
    by: str | None = None,
    now: datetime | None = None,
) -> ChannelPause:
    """Stop posting to a channel. ``by`` is the user who asked (``/news pause``); the delivery
    engine passes ``by=None`` and Slack's error as ``reason`` (e.g. ``"not_in_channel"``).
    Pausing a paused channel replaces the reason and time."""
    moment = now or datetime.now(UTC)
    values = {
        "team_id": team_id,
        "channel_id": channel_id,
        "paused_at": moment,
        "paused_by": by,
        "reason": reason,
        "updated_at": moment,
    }
    statement = upsert(session, table_of(ChannelStateRow), ("team_id", "channel_id"))
    await session.execute(statement, [values])
    return ChannelPause(team_id, channel_id, moment, by, reason)


async def resume_channel(
    session: AsyncSession, team_id: str, channel_id: str, now: datetime | None = None
) -> ChannelPause | None:
    """Post to the channel again; returns the pause that was lifted, or ``None`` if it was not
    paused."""
    row = await session.get(ChannelStateRow, (team_id, channel_id), with_for_update=True)
    if row is None or row.paused_at is None:
        return None
    lifted = _to_pause(row)
    row.paused_at, row.paused_by, row.reason = None, None, None
    row.updated_at = now or datetime.now(UTC)
    await session.flush()
    return lifted


async def channel_pause(
    session: AsyncSession, team_id: str, channel_id: str
) -> ChannelPause | None:
    row = await session.get(ChannelStateRow, (team_id, channel_id), populate_existing=True)
    return None if row is None else _to_pause(row)


async def team_pauses(session: AsyncSession, team_id: str) -> dict[str, ChannelPause]:
    """Every paused channel in a workspace, by channel id."""
    query = select(ChannelStateRow).where(
        ChannelStateRow.team_id == team_id, ChannelStateRow.paused_at.is_not(None)
    )
    pauses = (_to_pause(row) for row in await session.scalars(query))
    return {pause.channel_id: pause for pause in pauses if pause is not None}


async def every_pause(session: AsyncSession, team_id: str | None) -> list[ChannelPause]:
    """Every paused channel (in one workspace, when ``team_id`` is given)."""
    query = select(ChannelStateRow).where(ChannelStateRow.paused_at.is_not(None))
    if team_id is not None:
        query = query.where(ChannelStateRow.team_id == team_id)
    pauses = (_to_pause(row) for row in await session.scalars(query))
    return [pause for pause in pauses if pause is not None]


async def recent_deliveries(
    session: AsyncSession, team_id: str, channel_id: str, limit: int
) -> list[DeliveryRecord]:
    """The channel's latest entries in the delivery ledger, newest first."""
    query = (
        select(DeliveryRow.post_id, PostRow.title, DeliveryRow.state, DeliveryRow.updated_at)
        .join(PostRow, PostRow.id == DeliveryRow.post_id)
        .where(DeliveryRow.team_id == team_id, DeliveryRow.channel_id == channel_id)
        .order_by(DeliveryRow.updated_at.desc(), DeliveryRow.post_id)
        .limit(limit)
    )
    return [DeliveryRecord(*row) for row in await session.execute(query)]

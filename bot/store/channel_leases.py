"""Channels' leases in the delivery ledger: a replica takes a channel to work on it (``claim``),
keeps it while its turn runs (``extend``) and gives it back with the moment it is next due
(``release``). These functions never commit: the caller owns the transaction."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, FromClause, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.deliveries import WORK_STATES, ChannelKey, table
from bot.store.row_batches import MOMENT, TEXT, rows_table
from bot.store.schema import ChannelStateRow, DeliveryChannelRow, DeliveryRow

# Statements go to the table, not the mapped class: the ORM's bulk-update path costs the event
# loop more than the statement. And the channels a claim leaves alone, or a heartbeat extends,
# travel as one JSON parameter, not an IN list as long as they are many: the statement's text
# stays the same, so PostgreSQL prepares it once instead of once a claim.
LANES = table(DeliveryChannelRow)


def _lease_free(now: datetime) -> ColumnElement[bool]:
    return or_(LANES.c.lease_until.is_(None), LANES.c.lease_until < now)


async def claim_channels(
    session: AsyncSession,
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
    held: Collection[ChannelKey] = (),
) -> list[ChannelKey]:
    """Take the lease on up to ``limit`` channels that have work, are due and are not leased.

    One statement, so two replicas never take the same channel: on PostgreSQL the candidates are
    locked with SKIP LOCKED and the lease is re-checked on the locked row; SQLite has one writer.
    Paused channels are left alone, and so are the ones in ``held``: the caller's own turns still
    under way, whose lease may have run out while its heartbeat was late. Taken again, such a
    channel would be looked up, or released early, in the middle of its own turn.
    """
    with_work = select(DeliveryRow.team_id, DeliveryRow.channel_id).where(
        DeliveryRow.state.in_(WORK_STATES)
    )
    channel = tuple_(LANES.c.team_id, LANES.c.channel_id)
    ours = _channels(session, "held", list(held))
    candidates = (
        select(LANES.c.team_id, LANES.c.channel_id)
        .where(
            _lease_free(now),
            LANES.c.not_before <= now,
            channel.in_(with_work),
            ~_paused(),
            channel.not_in(select(ours.c.team, ours.c.channel)),
        )
        .order_by(LANES.c.not_before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.execute(
        update(LANES)
        .where(channel.in_(candidates), _lease_free(now))
        .values(owner=owner, lease_until=lease_until)
        .returning(LANES.c.team_id, LANES.c.channel_id)
    )
    return [ChannelKey(team, channel_id) for team, channel_id in claimed]


def _channels(session: AsyncSession, name: str, channels: Sequence[ChannelKey]) -> FromClause:
    columns = {"team": TEXT, "channel": TEXT}
    values = [(c.team_id, c.channel_id) for c in channels]
    return rows_table(session.get_bind().dialect, name, columns, values)


def _paused() -> ColumnElement[bool]:
    return (
        select(ChannelStateRow.team_id)
        .where(
            ChannelStateRow.team_id == LANES.c.team_id,
            ChannelStateRow.channel_id == LANES.c.channel_id,
            ChannelStateRow.paused_at.is_not(None),
        )
        .exists()
    )


async def extend_leases(
    session: AsyncSession, owner: str, channels: Sequence[ChannelKey], lease_until: datetime
) -> None:
    if channels:
        held = _channels(session, "extended", channels)
        await session.execute(
            update(LANES)
            .where(
                LANES.c.team_id == held.c.team,
                LANES.c.channel_id == held.c.channel,
                LANES.c.owner == owner,
            )
            .values(lease_until=lease_until)
        )


async def release_channels(
    session: AsyncSession, owner: str, releases: Sequence[tuple[ChannelKey, datetime]]
) -> None:
    """Give up the lease on channels, each next due at the given moment."""
    if not releases:
        return
    columns = {"team": TEXT, "channel": TEXT, "due": MOMENT}
    values = [(c.team_id, c.channel_id, due) for c, due in releases]
    rows = rows_table(session.get_bind().dialect, "releases", columns, values)
    await session.execute(
        update(LANES)
        .where(
            LANES.c.team_id == rows.c.team,
            LANES.c.channel_id == rows.c.channel,
            LANES.c.owner == owner,
        )
        .values(owner=None, lease_until=None, not_before=rows.c.due)
    )


async def channel_due(session: AsyncSession, channel: ChannelKey) -> datetime | None:
    """The earliest moment the channel may be sent to again (pacing, a rate limit)."""
    query = select(DeliveryChannelRow.not_before).where(
        DeliveryChannelRow.team_id == channel.team_id,
        DeliveryChannelRow.channel_id == channel.channel_id,
    )
    due: datetime | None = await session.scalar(query)
    return due

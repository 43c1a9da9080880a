"""The delivery ledger: which channel gets which post, who is sending it, and what was sent.

A row of ``deliveries`` moves ``pending`` -> ``sending`` -> ``sent``; an edited post turns its
``sent`` rows ``outdated`` until the message is updated; a row that keeps failing ends ``failed``.
``delivery_channels`` holds each channel's lease (the replica working on it, until when) and the
earliest moment it may be sent to again. These functions never commit: the caller owns the
transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import (
    Base,
    ChannelStateRow,
    DeliveryChannelRow,
    DeliveryRow,
    PostRow,
)

PENDING, SENDING, SENT, OUTDATED, FAILED = "pending", "sending", "sent", "outdated", "failed"
WORK_STATES = (PENDING, SENDING, OUTDATED)


@dataclass(frozen=True, slots=True)
class ChannelKey:
    team_id: str
    channel_id: str


@dataclass(frozen=True, slots=True)
class DeliveryKey:
    team_id: str
    channel_id: str
    post_id: str

    @property
    def channel(self) -> ChannelKey:
        return ChannelKey(self.team_id, self.channel_id)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One ledger row, as the delivery engine needs it."""

    key: DeliveryKey
    state: str
    message_ts: str | None
    content_hash: str | None
    attempts: int
    sending_since: datetime | None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one row after Slack answered (or did not)."""

    key: DeliveryKey
    state: str  # SENT (turned OUTDATED if the post changed meanwhile), PENDING, SENDING or FAILED
    message_ts: str | None = None
    content_hash: str | None = None
    error: str | None = None


def table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# --- claiming -------------------------------------------------------------------------------


def _lease_free(now: datetime) -> ColumnElement[bool]:
    return or_(DeliveryChannelRow.lease_until.is_(None), DeliveryChannelRow.lease_until < now)


async def claim_channels(
    session: AsyncSession,
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[ChannelKey]:
    """Take the lease on up to ``limit`` channels that have work, are due and are not leased.

    One statement, so two replicas never take the same channel: on PostgreSQL the candidates are
    locked with SKIP LOCKED and the lease is re-checked on the locked row; SQLite has one writer.
    Paused channels are left alone.
    """
    with_work = select(DeliveryRow.team_id, DeliveryRow.channel_id).where(
        DeliveryRow.state.in_(WORK_STATES)
    )
    channel = tuple_(DeliveryChannelRow.team_id, DeliveryChannelRow.channel_id)
    candidates = (
        select(DeliveryChannelRow.team_id, DeliveryChannelRow.channel_id)
        .where(
            _lease_free(now),
            DeliveryChannelRow.not_before <= now,
            channel.in_(with_work),
            ~_paused(),
        )
        .order_by(DeliveryChannelRow.not_before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.execute(
        update(DeliveryChannelRow)
        .where(channel.in_(candidates), _lease_free(now))
        .values(owner=owner, lease_until=lease_until)
        .returning(DeliveryChannelRow.team_id, DeliveryChannelRow.channel_id)
    )
    return [ChannelKey(team, channel_id) for team, channel_id in claimed]


def _paused() -> ColumnElement[bool]:
    return (
        select(ChannelStateRow.team_id)
        .where(
            ChannelStateRow.team_id == DeliveryChannelRow.team_id,
            ChannelStateRow.channel_id == DeliveryChannelRow.channel_id,
            ChannelStateRow.paused_at.is_not(None),
        )
        .exists()
    )


async def extend_leases(
    session: AsyncSession, owner: str, channels: Sequence[ChannelKey], lease_until: datetime
) -> None:
    if channels:
        await session.execute(
            update(DeliveryChannelRow)
            .where(_channel_in(channels), DeliveryChannelRow.owner == owner)
            .values(lease_until=lease_until)
        )


def _channel_in(channels: Sequence[ChannelKey]) -> ColumnElement[bool]:
    pairs = [(c.team_id, c.channel_id) for c in channels]
    return tuple_(DeliveryChannelRow.team_id, DeliveryChannelRow.channel_id).in_(pairs)


async def channel_work(session: AsyncSession, channels: Sequence[ChannelKey]) -> list[Delivery]:
    """The rows that still need something done in these channels, oldest first."""
    if not channels:
        return []
    pairs = [(c.team_id, c.channel_id) for c in channels]
    query = (
        select(DeliveryRow)
        .where(
            tuple_(DeliveryRow.team_id, DeliveryRow.channel_id).in_(pairs),
            DeliveryRow.state.in_(WORK_STATES),
        )
        .order_by(DeliveryRow.updated_at, DeliveryRow.post_id)
    )
    return [_delivery(row) for row in await session.scalars(query)]


async def message_rows(session: AsyncSession, channel: ChannelKey, ts: str) -> list[Delivery]:
    """Every row delivered in one Slack message (a grouped message holds several posts)."""
    query = (
        select(DeliveryRow)
        .where(
            DeliveryRow.team_id == channel.team_id,
            DeliveryRow.channel_id == channel.channel_id,
            DeliveryRow.message_ts == ts,
        )
        .order_by(DeliveryRow.post_id)
    )
    return [_delivery(row) for row in await session.scalars(query)]


def _delivery(row: DeliveryRow) -> Delivery:
    key = DeliveryKey(row.team_id, row.channel_id, row.post_id)
    return Delivery(
        key,
        row.state,
        row.message_ts,
        row.content_hash,
        row.attempts,
        row.sending_since,
        row.last_error,
    )


def _text_param(name: str) -> Any:
    """A text parameter PostgreSQL can type even where it only meets it in a CASE or IS NULL."""
    return bindparam(name, type_=String())


def _key_params(key: DeliveryKey) -> dict[str, Any]:
    return {"k_team": key.team_id, "k_channel": key.channel_id, "k_post": key.post_id}


def _by_key() -> ColumnElement[bool]:
    return and_(
        DeliveryRow.team_id == bindparam("k_team"),
        DeliveryRow.channel_id == bindparam("k_channel"),
        DeliveryRow.post_id == bindparam("k_post"),
    )


async def begin_sending(
    session: AsyncSession, sends: Sequence[tuple[DeliveryKey, str]], now: datetime
) -> None:
    """Mark rows as being sent now with the content of the given hash, before Slack is called."""
    if not sends:
        return
    statement = (
        update(table(DeliveryRow))
        .where(_by_key())
        .values(
            state=SENDING,
            sending_since=now,
            content_hash=_text_param("v_hash"),
            attempts=DeliveryRow.attempts + 1,
            updated_at=now,
        )
    )
    params = [{**_key_params(key), "v_hash": digest} for key, digest in sends]
    await session.execute(statement, params)


async def record_outcomes(
    session: AsyncSession, outcomes: Sequence[Outcome], now: datetime
) -> None:
    """Write what Slack said. A row recorded as sent whose post changed since it was rendered
    becomes ``outdated`` in the same statement, so the edit is never missed."""
    if not outcomes:
        return
    current_hash = (
        select(PostRow.content_hash).where(PostRow.id == DeliveryRow.post_id).scalar_subquery()
    )
    sent_state = case(
        (
            and_(_text_param("v_state") == SENT, current_hash != _text_param("v_hash")),
            OUTDATED,
        ),
        else_=_text_param("v_state"),
    )
    statement = (
        update(table(DeliveryRow))
        .where(_by_key())
        .values(
            state=sent_state,
            message_ts=case(
                (_text_param("v_ts").is_(None), DeliveryRow.message_ts), else_=_text_param("v_ts")
            ),
            content_hash=case(
                (_text_param("v_hash").is_(None), DeliveryRow.content_hash),
                else_=_text_param("v_hash"),
            ),
            sending_since=case((_text_param("v_state") == SENDING, DeliveryRow.sending_since)),
            last_error=_text_param("v_error"),
            updated_at=now,
        )
    )
    params = [
        {
            **_key_params(o.key),
            "v_state": o.state,
            "v_ts": o.message_ts,
            "v_hash": o.content_hash,
            "v_error": o.error,
        }
        for o in outcomes
    ]
    await session.execute(statement, params)


async def release_channels(
    session: AsyncSession, owner: str, releases: Sequence[tuple[ChannelKey, datetime]]
) -> None:
    """Give up the lease on channels, each next due at the given moment."""
    if not releases:
        return
    statement = (
        update(table(DeliveryChannelRow))
        .where(
            DeliveryChannelRow.team_id == bindparam("k_team"),
            DeliveryChannelRow.channel_id == bindparam("k_channel"),
            DeliveryChannelRow.owner == owner,
        )
        .values(owner=None, lease_until=None, not_before=bindparam("v_not_before"))
    )
    params = [
        {"k_team": c.team_id, "k_channel": c.channel_id, "v_not_before": moment}
        for c, moment in releases
    ]
    await session.execute(statement, params)


async def outstanding(session: AsyncSession) -> int:
    """How many ledger rows still need something done (sent, verified or updated)."""
    query = select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state.in_(WORK_STATES))
    return int(await session.scalar(query) or 0)


async def ledger(session: AsyncSession) -> list[Delivery]:
    """Every row, for status pages and tests."""
    query = select(DeliveryRow).order_by(
        DeliveryRow.team_id, DeliveryRow.channel_id, DeliveryRow.post_id
    )
    return [_delivery(row) for row in await session.scalars(query)]

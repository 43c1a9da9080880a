"""The delivery ledger: which channel gets which post, who is sending it, and what was sent.

A row of ``deliveries`` moves ``pending`` -> ``sending`` -> ``sent``; an edited post turns its
``sent`` rows ``outdated`` until the message is updated; a row that keeps failing ends ``failed``.
``delivery_channels`` holds each channel's lease (the replica working on it, until when) and the
earliest moment it may be sent to again; ``channel_leases`` takes and gives them back. These
functions never commit: the caller owns the transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Table,
    and_,
    case,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.row_batches import TEXT, rows_table
from bot.store.schema import (
    Base,
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
    threaded: bool = False  # a short parent (``message_ts``) with the card as its first reply
    reply_ts: str | None = None  # that reply


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one row after Slack answered (or did not)."""

    key: DeliveryKey
    state: str  # SENT (turned OUTDATED if the post changed meanwhile), PENDING, SENDING or FAILED
    message_ts: str | None = None
    content_hash: str | None = None
    error: str | None = None
    reply_ts: str | None = None  # the card's reply, in thread mode


def table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


async def channel_work(session: AsyncSession, channels: Sequence[ChannelKey]) -> list[Delivery]:
    """The rows that still need something done in these channels, oldest first."""
    if not channels:
        return []
    wanted = _rows(
        session,
        "wanted",
        {"team": TEXT, "channel": TEXT},
        [(c.team_id, c.channel_id) for c in channels],
    )
    rows = table(DeliveryRow)
    query = (
        select(*_DELIVERY_COLUMNS)
        .join(wanted, and_(rows.c.team_id == wanted.c.team, rows.c.channel_id == wanted.c.channel))
        .where(rows.c.state.in_(WORK_STATES))
        .order_by(rows.c.updated_at, rows.c.post_id)
    )
    # Plain rows, not ORM objects: a claim reads hundreds of them.
    return [_delivery(row) for row in await session.execute(query)]


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


_DELIVERY_COLUMNS = tuple(
    table(DeliveryRow).c[name]
    for name in (
        "team_id",
        "channel_id",
        "post_id",
        "state",
        "message_ts",
        "content_hash",
        "attempts",
        "sending_since",
        "last_error",
        "threaded",
        "reply_ts",
    )
)


def _delivery(row: Any) -> Delivery:
    """From an ORM row or a plain one with (at least) ``_DELIVERY_COLUMNS``."""
    key = DeliveryKey(row.team_id, row.channel_id, row.post_id)
    return Delivery(
        key,
        row.state,
        row.message_ts,
        row.content_hash,
        row.attempts,
        row.sending_since,
        row.last_error,
        bool(row.threaded),
        row.reply_ts,
    )


def _rows(session: AsyncSession, name: str, columns: dict[str, str], rows: Any) -> FromClause:
    return rows_table(session.get_bind().dialect, name, columns, rows)


_KEY_COLUMNS = {"team": TEXT, "channel": TEXT, "post": TEXT}


def _key_values(key: DeliveryKey) -> tuple[str, str, str]:
    return key.team_id, key.channel_id, key.post_id


# The ledger's UPDATEs below go to the table, not the mapped class: the ORM's bulk-update path
# (evaluating the statement for the session's identity map, whether or not it is synchronized)
# cost the event loop more than the statement itself, several times a second in a fan-out.
_LEDGER = table(DeliveryRow)


def _row_of(rows: FromClause) -> ColumnElement[bool]:
    return and_(
        _LEDGER.c.team_id == rows.c.team,
        _LEDGER.c.channel_id == rows.c.channel,
        _LEDGER.c.post_id == rows.c.post,
    )


async def begin_sending(
    session: AsyncSession, sends: Sequence[tuple[DeliveryKey, str]], now: datetime
) -> None:
    """Mark rows as being sent now with the content of the given hash, before Slack is called."""
    if not sends:
        return
    columns = {**_KEY_COLUMNS, "hash": TEXT}
    rows = _rows(
        session,
        "sends",
        columns,
        [(*_key_values(key), digest) for key, digest in sends],
    )
    await session.execute(
        update(_LEDGER)
        .where(_row_of(rows))
        .values(
            state=SENDING,
            sending_since=now,
            content_hash=rows.c.hash,
            attempts=_LEDGER.c.attempts + 1,
            updated_at=now,
        )
    )


async def record_outcomes(
    session: AsyncSession, outcomes: Sequence[Outcome], now: datetime
) -> None:
    """Write what Slack said, in one statement. A row recorded as sent whose post changed since
    it was rendered becomes ``outdated`` in the same statement, so the edit is never missed."""
    if not outcomes:
        return
    columns = {
        **_KEY_COLUMNS,
        **{"state": TEXT, "ts": TEXT, "hash": TEXT, "error": TEXT, "reply": TEXT},
    }
    rows = _rows(
        session,
        "outcomes",
        columns,
        [
            (*_key_values(o.key), o.state, o.message_ts, o.content_hash, o.error, o.reply_ts)
            for o in outcomes
        ],
    )
    current_hash = (
        select(PostRow.content_hash).where(PostRow.id == _LEDGER.c.post_id).scalar_subquery()
    )
    state = case(
        (and_(rows.c.state == SENT, current_hash != rows.c.hash), OUTDATED),
        else_=rows.c.state,
    )
    await session.execute(
        update(_LEDGER)
        .where(_row_of(rows))
        .values(
            state=state,
            message_ts=func.coalesce(rows.c.ts, _LEDGER.c.message_ts),
            reply_ts=func.coalesce(rows.c.reply, _LEDGER.c.reply_ts),
            content_hash=func.coalesce(rows.c.hash, _LEDGER.c.content_hash),
            sending_since=case((rows.c.state == SENDING, _LEDGER.c.sending_since)),
            last_error=rows.c.error,
            updated_at=now,
        )
    )


async def outstanding(session: AsyncSession) -> int:
    """How many ledger rows still need something done (sent, verified or updated)."""
    query = select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state.in_(WORK_STATES))
    return int(await session.scalar(query) or 0)


async def delivery_of(session: AsyncSession, key: DeliveryKey) -> Delivery | None:
    """One channel's ledger row for one post, if the post was ever queued there."""
    row = await session.get(DeliveryRow, _key_values(key))
    return None if row is None else _delivery(row)


async def ledger(session: AsyncSession) -> list[Delivery]:
    """Every row, for status pages and tests."""
    query = select(DeliveryRow).order_by(
        DeliveryRow.team_id, DeliveryRow.channel_id, DeliveryRow.post_id
    )
    return [_delivery(row) for row in await session.scalars(query)]

"""Planning deliveries in the ledger: which posts are new or edited since the planner last
looked, queueing a row per (channel, post), and marking delivered messages of edited posts
``outdated``. These functions never commit: the caller owns the transaction."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.deliveries import OUTDATED, PENDING, SENT, DeliveryKey, table
from bot.store.row_batches import INTEGER, TEXT, rows_table
from bot.store.schema import Base, DeliveryChannelRow, DeliveryRow, PlannedPostRow, PostRow
from bot.store.types import UTCDateTime


def _insert(session: AsyncSession, model: type[Base]) -> Any:
    """The engine's own INSERT, which can say what to do ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table(model))


# --- planning -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unplanned:
    """A post the planner has not fanned out at its current content."""

    post_id: str
    content_hash: str
    edited: bool  # planned before, at other content
    stored_at: datetime  # when ingestion last wrote it: for a new post, when it arrived


async def unplanned_posts(session: AsyncSession, limit: int) -> list[Unplanned]:
    query = (
        select(
            PostRow.id,
            PostRow.content_hash,
            PlannedPostRow.post_id.is_not(None),
            PostRow.updated_at,
        )
        .outerjoin(PlannedPostRow, PlannedPostRow.post_id == PostRow.id)
        .where(
            or_(
                PlannedPostRow.post_id.is_(None),
                PlannedPostRow.content_hash != PostRow.content_hash,
            )
        )
        .order_by(PostRow.published_at, PostRow.id)
        .limit(limit)
    )
    return [
        Unplanned(post_id, digest, bool(edited), stored_at)
        for post_id, digest, edited, stored_at in await session.execute(query)
    ]


async def mark_new_posts_planned(session: AsyncSession, now: datetime) -> int:
    """Mark every post that was never planned as planned at its current content, in one
    statement; how many were marked."""
    never_planned = ~exists().where(PlannedPostRow.post_id == PostRow.id)
    chosen = select(
        PostRow.id,
        PostRow.content_hash,
        literal(now, type_=table(PlannedPostRow).c.planned_at.type),
    ).where(never_planned)
    columns = ["post_id", "content_hash", "planned_at"]
    statement = _insert(session, PlannedPostRow).from_select(columns, chosen)
    result = await session.execute(statement.on_conflict_do_nothing())
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_planned(
    session: AsyncSession, planned: Sequence[tuple[str, str]], now: datetime
) -> None:
    """Remember that these posts were fanned out at these content hashes."""
    if not planned:
        return
    statement = _insert(session, PlannedPostRow)
    statement = statement.on_conflict_do_update(
        index_elements=["post_id"],
        set_={"content_hash": statement.excluded.content_hash, "planned_at": now},
    )
    rows = [{"post_id": p, "content_hash": h, "planned_at": now} for p, h in planned]
    await session.execute(statement, rows)


async def add_pending(
    session: AsyncSession,
    keys: Iterable[DeliveryKey],
    now: datetime,
    threaded: Collection[DeliveryKey] = (),
) -> None:
    """Queue each (channel, post) not already in the ledger (those in ``threaded`` to be posted
    in thread mode), and give each channel a lane: two statements, however many channels a post
    goes to."""
    keys = list(keys)
    if not keys:
        return
    dialect = session.get_bind().dialect
    columns = {"team": TEXT, "channel": TEXT, "post": TEXT, "thread": INTEGER}
    values = [(*_key_values(k), int(k in threaded)) for k in keys]
    queued = rows_table(dialect, "queued", columns, values)
    # A WHERE, even an always-true one, keeps SQLite from reading ON CONFLICT as a join's ON.
    rows = select(
        queued.c.team,
        queued.c.channel,
        queued.c.post,
        literal(PENDING),
        literal(0),
        literal(now, UTCDateTime()),
        queued.c.thread == 1,
    ).where(queued.c.team.is_not(None))
    deliveries = ["team_id", "channel_id", "post_id", "state", "attempts", "updated_at", "threaded"]
    statement = _insert(session, DeliveryRow).from_select(deliveries, rows)
    await session.execute(statement.on_conflict_do_nothing())
    lanes = (
        select(queued.c.team, queued.c.channel, literal(now, UTCDateTime()))
        .where(queued.c.team.is_not(None))
        .distinct()
    )
    statement = _insert(session, DeliveryChannelRow).from_select(
        ["team_id", "channel_id", "not_before"], lanes
    )
    await session.execute(statement.on_conflict_do_nothing())


def _key_values(key: DeliveryKey) -> tuple[str, str, str]:
    return key.team_id, key.channel_id, key.post_id


async def stored_at(session: AsyncSession, post_id: str) -> tuple[datetime, bool] | None:
    """When ingestion last wrote the post, and whether the planner has seen it since."""
    query = (
        select(PostRow.updated_at, PlannedPostRow.content_hash == PostRow.content_hash)
        .outerjoin(PlannedPostRow, PlannedPostRow.post_id == PostRow.id)
        .where(PostRow.id == post_id)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], bool(row[1]))


async def mark_outdated(session: AsyncSession, post_ids: Sequence[str], now: datetime) -> None:
    """Delivered messages of edited posts need updating in place."""
    if post_ids:
        await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.post_id.in_(post_ids), DeliveryRow.state == SENT)
            .values(state=OUTDATED, updated_at=now)
        )

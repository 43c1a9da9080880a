"""Slack event ids already taken on. Never commits: the caller owns the transaction."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import SlackEventRow


async def claim_event(session: AsyncSession, event_id: str, team_id: str, now: datetime) -> bool:
    """Record ``event_id``; False when it was already recorded (by this or another replica).

    INSERT ... ON CONFLICT DO NOTHING is atomic on both engines, so of two replicas given the
    same retried event at once exactly one gets True."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(SlackEventRow)
        .values(event_id=event_id, team_id=team_id, seen_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def forget_events_before(session: AsyncSession, moment: datetime) -> int:
    result = await session.execute(delete(SlackEventRow).where(SlackEventRow.seen_at < moment))
    return int(result.rowcount)  # type: ignore[attr-defined]

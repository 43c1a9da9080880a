"""Slack's allowance of ``conversations.history`` calls per workspace, shared by every replica.
Never commits: the caller owns the transaction."""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import HistoryLookupRow


async def claim_history_call(
    session: AsyncSession, team_id: str, now: datetime, interval: timedelta
) -> datetime | None:
    """Take the workspace's next history call: None when it is ours (the next one is then
    ``interval`` away), else the moment it frees up. Atomic on both engines, so two replicas
    never both take one."""
    taken = await session.execute(
        update(HistoryLookupRow)
        .where(HistoryLookupRow.team_id == team_id, HistoryLookupRow.next_at <= now)
        .values(next_at=now + interval)
    )
    if taken.rowcount:  # type: ignore[attr-defined]
        return None
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    first = await session.execute(
        insert(HistoryLookupRow)
        .values(team_id=team_id, next_at=now + interval)
        .on_conflict_do_nothing(index_elements=["team_id"])
    )
    if first.rowcount:  # type: ignore[attr-defined]
        return None
    return await session.scalar(
        select(HistoryLookupRow.next_at).where(HistoryLookupRow.team_id == team_id)
    )

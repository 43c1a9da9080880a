"""Counts over the delivery ledger and channel states, for the operator's metrics."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.deliveries import PENDING
from bot.store.schema import ChannelStateRow, DeliveryRow


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    by_state: dict[str, int] = field(default_factory=dict)
    # When the longest-waiting pending row last changed (queued, or put back after a failure).
    oldest_pending: datetime | None = None
    paused_channels: int = 0


async def delivery_stats(session: AsyncSession) -> DeliveryStats:
    counts = await session.execute(
        select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
    )
    oldest = await session.scalar(
        select(func.min(DeliveryRow.updated_at)).where(DeliveryRow.state == PENDING)
    )
    paused = await session.scalar(
        select(func.count())
        .select_from(ChannelStateRow)
        .where(ChannelStateRow.paused_at.isnot(None))
    )
    return DeliveryStats(
        {str(state): int(count) for state, count in counts.all()}, oldest, int(paused or 0)
    )

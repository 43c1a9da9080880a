"""Writing what a batch of turns came to, in one transaction: the ledger rows' outcomes, the
channels' release, the pause of a channel Slack refused, and, in multi-workspace mode, forgetting
a workspace whose token Slack refused (it uninstalled newsbot). One transaction, so no replica
can take a refused channel before it is paused, nor a gone workspace's channel at all."""

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.news.delivery.send import Result
from bot.store import Store
from bot.store.channel_leases import release_channels
from bot.store.channels import pause_channel
from bot.store.deliveries import record_outcomes
from bot.store.workspaces import forget_workspace

log = logging.getLogger(__name__)


async def record_results(
    store: Store, owner: str, batch: Sequence[Result], now: datetime, forget_gone: bool
) -> None:
    async with store.sessions.begin() as session:
        await record_outcomes(session, [o for r in batch for o in r.outcomes], now)
        await release_channels(session, owner, [(r.channel, r.next_due) for r in batch])
        for result in batch:
            if result.unavailable is not None:
                channel = result.channel
                await pause_channel(
                    session, channel.team_id, channel.channel_id, result.unavailable
                )
        for team_id in _gone(batch) if forget_gone else ():
            log.warning("workspace %s refused its token; forgetting it", team_id)
            await forget_workspace(session, team_id)


def _gone(batch: Sequence[Result]) -> set[str]:
    return {r.channel.team_id for r in batch if r.workspace_gone is not None}

"""Crash recovery under Slack's history limit: apps outside the Marketplace may call
``conversations.history`` once a minute per workspace (15 messages). A lookup waits its
workspace's turn, shared by every replica through the store, instead of calling and being
refused: the channel's rows stay ``sending`` (nothing is sent twice) until the turn comes."""

import logging
from datetime import datetime, timedelta

from bot import messages
from bot.news.delivery.send import Action, Result, Verify
from bot.store import Store
from bot.store.deliveries import SENDING, Outcome
from bot.store.history_lookups import claim_history_call

log = logging.getLogger(__name__)


async def wait_for_history(
    store: Store, action: Action, interval_seconds: float, now: datetime
) -> Result | None:
    """None when ``action`` may go ahead (it is no lookup, there is no limit, or it took the
    workspace's turn); else the result that puts it off until the turn is free."""
    if not isinstance(action, Verify) or interval_seconds <= 0:
        return None
    team_id = action.channel.team_id
    async with store.sessions.begin() as session:
        free_at = await claim_history_call(
            session, team_id, now, timedelta(seconds=interval_seconds)
        )
    if free_at is None:
        return None
    log.info("history lookup in %s waits for workspace %s's turn", action.channel, team_id)
    outcomes = [Outcome(row.key, SENDING, error=messages.HISTORY_TURN) for row in action.rows]
    return Result(action.channel, outcomes, free_at)

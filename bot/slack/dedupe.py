"""A global bolt middleware that lets each Events API ``event_id`` through once."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

from bot.news.events import EventLedger

log = logging.getLogger(__name__)

Middleware = Callable[..., Awaitable[BoltResponse | None]]


def once_per_event(ledger: EventLedger) -> Middleware:
    """Acknowledge and skip an event whose ``event_id`` was handled already. bolt runs global
    middleware after it has checked the request's signature, so forged requests never get here."""

    async def skip_seen_events(
        body: dict[str, Any], next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id:
            team_id = str(body.get("team_id") or "")
            if not await ledger.first_sighting(event_id, team_id):
                log.info("event %s from team %s was handled already; skipped", event_id, team_id)
                return BoltResponse(status=200, body="")
        await next_()
        return None

    return skip_seen_events

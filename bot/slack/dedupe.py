"""Handling each Slack event once: Slack retries an event it thinks was not acknowledged, and
with several replicas any of them may receive the retry. The shared database decides, through a
global bolt middleware that lets each Events API ``event_id`` through once."""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.response import BoltResponse

from bot.store.database import Store
from bot.store.events import claim_event, forget_events_before

log = logging.getLogger(__name__)

# Slack retries three times within about five minutes; an hour leaves room for slow retries.
RETENTION = timedelta(hours=1)
PRUNE_INTERVAL = timedelta(minutes=5)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EventLedger:
    """Event ids seen lately, kept in the store so every replica agrees."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._clock = clock
        self._pruned_at: datetime | None = None

    async def first_sighting(self, event_id: str, team_id: str) -> bool:
        """True exactly once per ``event_id`` across all replicas (within RETENTION)."""
        now = self._clock()
        async with self._store.sessions() as session, session.begin():
            fresh = await claim_event(session, event_id, team_id, now)
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_INTERVAL:
                await forget_events_before(session, now - RETENTION)
                self._pruned_at = now
        return fresh


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

"""The delivery engine: plans new posts into the ledger and works through it, channel by channel.

Exactly-once-ish, across restarts and replicas sharing one database:

* A replica takes a channel by leasing its ``delivery_channels`` row in one statement; while it
  works, a heartbeat extends the lease, so a slow call (a Retry-After wait) keeps the channel.
* Before calling Slack the rows are marked ``sending`` (with the moment and the content hash)
  in a committed transaction; the answer's ``ts`` is recorded as ``sent`` right after.
* If the replica dies between the two, the lease runs out and whoever takes the channel next
  finds rows still ``sending``. It does not send blindly: it asks the publisher whether those
  posts were delivered (each message carries the post ids in its metadata) and records what it
  finds; only posts that are not there go back to ``pending``. A lookup that fails leaves the
  rows ``sending`` to be looked up again: a duplicate is never risked on a guess.
* A 429 puts the rows back to ``pending`` and makes the channel due after ``Retry-After``.
"""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.news.pausing import SubscriberNotice
from bot.news.planning import plan_deliveries
from bot.news.publishing import Publisher
from bot.news.sending import (
    Action,
    Pacing,
    Result,
    Send,
    Update,
    Verify,
    carry_out,
    choose,
)
from bot.posts import Post
from bot.store import Store
from bot.store.channels import pause_channel
from bot.store.deliveries import (
    OUTDATED,
    PENDING,
    SENDING,
    ChannelKey,
    Delivery,
    begin_sending,
    channel_work,
    claim_channels,
    extend_leases,
    message_rows,
    record_outcomes,
    release_channels,
)
from bot.store.posts import posts_by_id

log = logging.getLogger(__name__)

OnPaused = Callable[[ChannelKey, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class EngineSettings:
    concurrency: int = 32  # channels worked on at once by one replica
    lease: timedelta = timedelta(seconds=15)
    poll_seconds: float = 2.0  # how often the store is checked for posts from other processes
    busy_poll_seconds: float = 0.2  # while channels are waiting out their pacing
    pacing: Pacing = field(default_factory=Pacing)


class Deliverer:
    """Runs in every ``newsbot serve`` replica. ``wake()`` says new posts may be in the store."""

    def __init__(
        self,
        store: Store,
        publisher: Publisher,
        settings: EngineSettings | None = None,
        on_paused: OnPaused | None = None,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.on_paused = on_paused or SubscriberNotice(store, publisher)
        self.settings = settings or EngineSettings()
        self.owner = f"{uuid.uuid4().hex[:12]}"
        self._woken = asyncio.Event()
        self._inflight: dict[ChannelKey, asyncio.Task[None]] = {}
        self._busy_until = datetime.min.replace(tzinfo=UTC)

    def wake(self) -> None:
        self._woken.set()

    async def run(self) -> None:
        """Plan and deliver until cancelled."""
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            await self._loop()
        finally:
            heartbeat.cancel()
            for task in self._inflight.values():
                task.cancel()
            await asyncio.gather(heartbeat, *self._inflight.values(), return_exceptions=True)

    async def _loop(self) -> None:
        next_plan = 0.0
        loop = asyncio.get_running_loop()
        while True:
            if self._woken.is_set() or loop.time() >= next_plan:
                self._woken.clear()
                await self._plan()
                next_plan = loop.time() + self.settings.poll_seconds
            await self._start_turns()
            await self._pause()

    async def _plan(self) -> None:
        report = await plan_deliveries(self.store)
        if report.queued or report.edited_posts:
            log.info("planned %d deliveries, %d edited posts", report.queued, report.edited_posts)
            self._busy_until = datetime.now(UTC) + timedelta(seconds=3)

    async def _pause(self) -> None:
        busy = datetime.now(UTC) < self._busy_until or self._inflight
        timeout = self.settings.busy_poll_seconds if busy else self.settings.poll_seconds
        woken = asyncio.create_task(self._woken.wait())
        waiters: set[asyncio.Future[Any]] = {woken, *self._inflight.values()}
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        woken.cancel()
        await asyncio.gather(woken, return_exceptions=True)

    async def _start_turns(self) -> None:
        free = self.settings.concurrency - len(self._inflight)
        if free <= 0:
            return
        for action in await self._claim(free):
            self._busy_until = datetime.now(UTC) + timedelta(seconds=3)
            task = asyncio.create_task(self._turn(action))
            self._inflight[action.channel] = task

    async def _claim(self, limit: int) -> list[Action]:
        """Lease due channels and decide each one's turn, in one transaction; rows about to be
        sent are marked ``sending`` before it commits."""
        now = datetime.now(UTC)
        async with self.store.sessions.begin() as session:
            channels = await claim_channels(
                session, self.owner, now, now + self.settings.lease, limit
            )
            actions = await self._decide(session, channels, now)
            idle = [c for c in channels if c not in {a.channel for a in actions}]
            await release_channels(session, self.owner, [(c, now) for c in idle])
        return actions

    async def _decide(
        self, session: AsyncSession, channels: Sequence[ChannelKey], now: datetime
    ) -> list[Action]:
        rows_by_channel: dict[ChannelKey, list[Delivery]] = {}
        for row in await channel_work(session, channels):
            rows_by_channel.setdefault(row.key.channel, []).append(row)
        chosen = {
            channel: choose(rows, self.settings.pacing.group_limit)
            for channel, rows in rows_by_channel.items()
        }
        wanted = {row.key.post_id for _, rows in chosen.values() for row in rows}
        posts = await posts_by_id(session, wanted)
        actions: list[Action] = []
        for channel, (state, rows) in chosen.items():
            if state == SENDING:
                actions.append(Verify(channel, tuple(rows)))
            elif state == PENDING:
                actions.append(_send_action(channel, rows, posts))
            elif state == OUTDATED and rows[0].message_ts is not None:
                actions.append(await _update_action(session, channel, rows[0].message_ts))
        sends = [
            (row.key, post.content_hash)
            for a in actions
            if isinstance(a, Send)
            for row, post in zip(a.rows, a.posts, strict=True)
        ]
        await begin_sending(session, sends, now)
        return actions

    async def _turn(self, action: Action) -> None:
        try:
            result = await carry_out(action, self.publisher, self.settings.pacing, _now())
            await self._record(result)
            if result.unavailable is not None:
                await self.on_paused(action.channel, result.unavailable)
        except Exception:
            # A store or programming error: the lease runs out and the channel is retried.
            log.exception("delivery to %s failed", action.channel)
        finally:
            self._inflight.pop(action.channel, None)

    async def _record(self, result: Result) -> None:
        """The outcome, the channel's release and, when Slack refused the channel, its pause:
        one transaction, so no replica can take the channel before it is paused."""
        async with self.store.sessions.begin() as session:
            await record_outcomes(session, result.outcomes, _now())
            await release_channels(session, self.owner, [(result.channel, result.next_due)])
            if result.unavailable is not None:
                channel = result.channel
                await pause_channel(
                    session, channel.team_id, channel.channel_id, result.unavailable
                )

    async def _heartbeat(self) -> None:
        interval = self.settings.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            channels = list(self._inflight)
            try:
                async with self.store.sessions.begin() as session:
                    await extend_leases(session, self.owner, channels, _now() + self.settings.lease)
            except Exception:
                log.exception("could not extend the delivery leases; they may run out")


def _now() -> datetime:
    return datetime.now(UTC)


def _send_action(channel: ChannelKey, rows: Sequence[Delivery], posts: dict[str, Post]) -> Send:
    present = [row for row in rows if row.key.post_id in posts]
    ordered = sorted(present, key=lambda row: posts[row.key.post_id].published_at)
    return Send(channel, tuple(ordered), tuple(posts[row.key.post_id] for row in ordered))


async def _update_action(session: AsyncSession, channel: ChannelKey, message_id: str) -> Update:
    rows = await message_rows(session, channel, message_id)
    shown = await posts_by_id(session, [row.key.post_id for row in rows])
    ordered = sorted(rows, key=lambda row: shown[row.key.post_id].published_at)
    return Update(channel, message_id, tuple(ordered), tuple(shown[r.key.post_id] for r in ordered))

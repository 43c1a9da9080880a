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
* A 429 puts the rows back to ``pending`` and makes the channel due ``Retry-After`` after
  Slack's answer (not after the call began: the client may have waited out 429s already).
"""

import asyncio
import contextlib
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.news.delivery.claim import claim_actions
from bot.news.delivery.pause import SubscriberNotice
from bot.news.delivery.plan import plan_deliveries
from bot.news.delivery.record import record_results
from bot.news.delivery.recovery import wait_for_history
from bot.news.delivery.send import Action, Pacing, Result, Send, carry_out, log_ids
from bot.news.publisher import Publisher
from bot.store import Store
from bot.store.channel_leases import extend_leases
from bot.store.deliveries import PENDING, ChannelKey, Outcome

log = logging.getLogger(__name__)

OnPaused = Callable[[ChannelKey, str], Awaitable[None]]
# Told of each batch of results once it is written: benchmarks and tests count deliveries.
OnRecorded = Callable[[Sequence[Result]], None]
RECORD_BATCH = 500
RECORD_GATHER_SECONDS = 0.05
GIVE_BACK_SECONDS = 5
BUSY_SECONDS = 3  # after work was found, how long to keep looking for more often


@dataclass(frozen=True, slots=True)
class EngineSettings:
    concurrency: int = 32  # Slack calls in flight from one replica
    claim_batch: int = 512  # channels leased at once, so the database sees few transactions
    lease: timedelta = timedelta(seconds=15)
    poll_seconds: float = 2.0  # how often the store is checked for posts from other processes
    busy_poll_seconds: float = 0.2  # while channels are waiting out their pacing
    pacing: Pacing = field(default_factory=Pacing)
    # Seconds between conversations.history calls in one workspace, for all replicas; 0: none.
    history_interval_seconds: float = 0


class Deliverer:
    """Runs in every ``newsbot serve`` replica. ``wake()`` says new posts may be in the store.

    One loop plans and leases channels in batches, topping the queue of leased channels up
    before it runs dry; ``concurrency`` workers take channels from it and call Slack, so a
    worker that finishes starts the next channel at once; one recorder writes their results,
    each batch of results in one transaction. A channel stays leased (the heartbeat renews it)
    until its result is written.
    """

    def __init__(
        self,
        store: Store,
        publisher: Publisher,
        settings: EngineSettings | None = None,
        on_paused: OnPaused | None = None,
        on_recorded: OnRecorded | None = None,
        forget_gone_workspaces: bool = False,
    ) -> None:
        """``forget_gone_workspaces``: a workspace whose token Slack refuses is uninstalled
        (multi-workspace mode); otherwise such a refusal is a failure like any other."""
        self.store = store
        self.forget_gone = forget_gone_workspaces
        self.publisher = publisher
        self.on_paused = on_paused or SubscriberNotice(store, publisher)
        self.on_recorded = on_recorded
        self.settings = settings or EngineSettings()
        self.owner = f"{uuid.uuid4().hex[:12]}"
        self._plan_due = True
        self._nudged = asyncio.Event()  # something for the loop to do: plan, or claim more
        self._waiting: deque[Action] = deque()  # leased, not started
        self._work = asyncio.Condition()
        self._turns = 0  # turns calling Slack now
        self._quiet = asyncio.Event()  # set while no turn runs and none waits
        self._quiet.set()
        self._held: set[ChannelKey] = set()  # leased until their results are written
        self._results: asyncio.Queue[Result] = asyncio.Queue()
        self._notices: set[asyncio.Task[None]] = set()
        self._next_claim = 0.0
        self._busy_until = 0.0
        # Claim again while this many leased channels still wait, so the workers never run dry
        # while a claim is on its way.
        self._low_water = max(self.settings.claim_batch // 2, 1)

    def wake(self) -> None:
        self._plan_due = True
        self._nudged.set()

    async def run(self) -> None:
        """Plan and deliver until cancelled."""
        helpers = [asyncio.create_task(self._heartbeat()), asyncio.create_task(self._recorder())]
        workers = [asyncio.create_task(self._worker()) for _ in range(self.settings.concurrency)]
        try:
            await self._loop()
        finally:
            tasks = [*helpers, *workers, *self._notices]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._give_back()

    async def _give_back(self) -> None:
        """On shutdown, hand back channels leased but not started, so another replica takes
        them at once; their rows were never sent, so they go back to ``pending``. Turns cut
        short keep their rows ``sending``: those may have reached Slack, and are looked up."""
        waiting = list(self._waiting)
        self._waiting.clear()
        results = [_untouched(action) for action in waiting]
        try:
            async with asyncio.timeout(GIVE_BACK_SECONDS):
                await self._record(results)
        except (Exception, TimeoutError):
            log.warning("could not hand back %d channels; their leases will run out", len(results))

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_plan = 0.0
        while True:
            self._nudged.clear()
            try:
                if self._plan_due or loop.time() >= next_plan:
                    self._plan_due = False
                    await self._plan()
                    next_plan = loop.time() + self.settings.poll_seconds
                    self._next_claim = 0.0
                if self._hungry() and loop.time() >= self._next_claim:
                    await self._claim(self._claim_size())
            except Exception:
                # The database is down or restarting: keep serving what is leased, try again.
                log.exception("delivery planning or claiming failed; retrying shortly")
                next_plan = loop.time() + self.settings.poll_seconds
                self._next_claim = next_plan
            await self._pause(min(next_plan, self._next_claim if self._hungry() else next_plan))

    async def _plan(self) -> None:
        report = await plan_deliveries(self.store)
        if report.queued or report.edited_posts:
            log.info("planned %d deliveries, %d edited posts", report.queued, report.edited_posts)
            self._busy_until = asyncio.get_running_loop().time() + BUSY_SECONDS

    async def _claim(self, limit: int) -> None:
        pacing = self.settings.pacing
        actions = await claim_actions(
            self.store,
            self.owner,
            _now(),
            self.settings.lease,
            limit,
            pacing.group_limit,
            frozenset(self._held),
        )
        loop = asyncio.get_running_loop()
        if actions:
            self._busy_until = loop.time() + BUSY_SECONDS
        if len(actions) < limit:
            # Everything due is taken: ask again after a short wait (channels may be waiting out
            # their pacing), or, when there has been nothing to do for a while, a longer one.
            busy = self._held or loop.time() < self._busy_until
            wait = self.settings.busy_poll_seconds if busy else self.settings.poll_seconds
            self._next_claim = loop.time() + wait
        if actions:
            self._held.update(action.channel for action in actions)
            async with self._work:
                self._waiting.extend(actions)
                self._work.notify(len(actions))

    def _claim_size(self) -> int:
        """Up to a batch; but when every worker is idle, only enough to keep them all busy, so
        the first calls start sooner (a small claim is quicker), and the rest follows at once."""
        size = self.settings.claim_batch - len(self._waiting)
        if not self._waiting and not self._turns:
            size = min(size, self.settings.concurrency)
        return size

    def _hungry(self) -> bool:
        return len(self._waiting) < self._low_water

    async def _pause(self, deadline: float) -> None:
        """Until someone wakes us, the workers want more channels, or ``deadline``."""
        timeout = deadline - asyncio.get_running_loop().time()
        if timeout <= 0:
            return
        try:
            async with asyncio.timeout(timeout):
                await self._nudged.wait()
        except TimeoutError:
            pass

    async def _worker(self) -> None:
        while True:
            async with self._work:
                await self._work.wait_for(lambda: bool(self._waiting))
                action = self._waiting.popleft()
            if self._hungry() and asyncio.get_running_loop().time() >= self._next_claim:
                self._nudged.set()  # only when a claim may run: the loop wakes once, not per turn
            self._turns += 1
            self._quiet.clear()
            try:
                await self._turn(action)
            finally:
                self._turns -= 1
                if not self._turns and not self._waiting:
                    self._quiet.set()

    async def _turn(self, action: Action) -> None:
        try:
            interval = self.settings.history_interval_seconds
            result = await wait_for_history(self.store, action, interval, _now()) or (
                await carry_out(action, self.publisher, self.settings.pacing, _now)
            )
        except Exception:
            # A programming error: leave the rows as they are; the channel is tried again later.
            log.exception(
                "delivery to %s failed", action.channel, extra=log_ids(action.channel, action.rows)
            )
            result = Result(action.channel, [], _now() + self.settings.pacing.backoff)
        self._results.put_nowait(result)

    async def _recorder(self) -> None:
        while True:
            batch = [await self._results.get()]
            # Answers arrive close together under load: a moment's wait makes one transaction
            # of many, at the cost of that moment in the crash window. The wait ends early
            # when every turn has ended: nothing more is coming.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(RECORD_GATHER_SECONDS):
                    await self._quiet.wait()
            while not self._results.empty() and len(batch) < RECORD_BATCH:
                batch.append(self._results.get_nowait())
            try:
                await self._record(batch)
            except Exception:
                log.exception(
                    "could not record %d deliveries; their leases will run out", len(batch)
                )
                continue
            finally:
                self._held.difference_update(result.channel for result in batch)
            if self.on_recorded is not None:
                self.on_recorded(batch)
            for result in batch:
                if result.unavailable is not None:
                    self._notify(result.channel, result.unavailable)

    async def _record(self, batch: Sequence[Result]) -> None:
        await record_results(self.store, self.owner, batch, _now(), self.forget_gone)

    def _notify(self, channel: ChannelKey, reason: str) -> None:
        task = asyncio.create_task(self._tell(channel, reason))
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)

    async def _tell(self, channel: ChannelKey, reason: str) -> None:
        await self.on_paused(channel, reason)

    async def _heartbeat(self) -> None:
        interval = self.settings.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            try:
                async with self.store.sessions.begin() as session:
                    until = _now() + self.settings.lease
                    await extend_leases(session, self.owner, list(self._held), until)
            except Exception:
                log.exception("could not extend the delivery leases; they may run out")


def _now() -> datetime:
    return datetime.now(UTC)


def _untouched(action: Action) -> Result:
    """An action that never ran: rows marked ``sending`` for it go back to ``pending``; an
    update's rows and a lookup's rows were not touched, and stay as they are."""
    outcomes = (
        [Outcome(row.key, PENDING) for row in action.rows] if isinstance(action, Send) else []
    )
    return Result(action.channel, outcomes, _now())

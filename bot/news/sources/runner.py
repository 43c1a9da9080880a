"""Fetching every source on its schedule, inside ``newsbot serve`` and for ``newsbot sources
sync``, one replica at a time per source.

A replica leases a source before fetching it (as the delivery engine leases channels); a
heartbeat renews the lease while a slow fetch runs, and a replica that dies lets it run out, so
another takes the source over. Each leased source is fetched in a task of its own, so a slow or
failing source never holds up the others. After a failure the source waits longer before its
next try (doubling up to ``MAX_BACKOFF``); when it has failed for ``REPORT_AFTER`` the failure
is reported once (``on_failing``).
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from bot.news.ingest.gate import IngestGate
from bot.news.sources.documents import FetchDocument
from bot.news.sources.git import shown_url
from bot.news.sources.sync import SourcePlaces, SyncResult, sync_source
from bot.store import DatabaseError, Store
from bot.store.sources import (
    Source,
    all_sources,
    claim_report,
    claim_sources,
    extend_source_lease,
    record_fetch,
)

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
REPORT_AFTER = timedelta(days=1)
OnFailing = Callable[[Source], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    interval: timedelta = DEFAULT_INTERVAL
    lease: timedelta = timedelta(seconds=60)
    concurrency: int = 4  # sources fetched at once by one replica
    poll_seconds: float = 2.0  # how often due sources are looked for


class Busy(NamedTuple):
    """A source another newsbot was fetching when asked to sync it now."""

    source_id: int


@dataclass
class SourceRunner:
    store: Store
    gate: IngestGate
    places: SourcePlaces
    fetch: FetchDocument
    settings: RunnerSettings = field(default_factory=RunnerSettings)
    on_change: Callable[[], None] = lambda: None
    on_failing: OnFailing | None = None
    log_outcomes: bool = True  # off where the caller shows each outcome itself
    owner: str = field(default_factory=lambda: f"sources-{uuid.uuid4().hex[:12]}")

    async def run(self) -> None:
        """Fetch due sources until cancelled."""
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                for source in await self._claim_due(self.settings.concurrency - len(running)):
                    task = asyncio.create_task(self._guarded(source), name=f"source-{source.id}")
                    running.add(task)
                    task.add_done_callback(running.discard)
                await asyncio.sleep(self.settings.poll_seconds)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _guarded(self, source: Source) -> None:
        try:
            await self.sync_leased(source)
        except DatabaseError as error:
            # The lease runs out and the source is fetched again then.
            log.warning("source %d: could not record the fetch: %s", source.id, error)

    async def sync_now(self, only: Sequence[int] | None = None) -> list[SyncResult | Busy]:
        """Fetch these sources (every source by default) now, whether due or not, one after
        another; a source another newsbot is fetching is left to it."""
        if only is None:
            async with self.store.sessions() as session:
                only = [source.id for source in await all_sources(session)]
        claimed = await self._claim(len(only), only) if only else []
        done = {source.id: await self.sync_leased(source) for source in claimed}
        return [done.get(source_id) or Busy(source_id) for source_id in only]

    async def _claim_due(self, limit: int) -> list[Source]:
        if limit <= 0:
            return []
        try:
            return await self._claim(limit, None)
        except DatabaseError as error:
            log.warning("could not look for sources to fetch: %s", error)
            return []

    async def _claim(self, limit: int, only: Sequence[int] | None) -> list[Source]:
        now = _now()
        async with self.store.sessions.begin() as session:
            lease_until = now + self.settings.lease
            return await claim_sources(session, self.owner, now, lease_until, limit, only)

    async def sync_leased(self, source: Source) -> SyncResult:
        """Fetch a source this replica holds the lease on, record how it went, release it."""
        heartbeat = asyncio.create_task(self._heartbeat(source.id))
        try:
            result = await sync_source(
                self.store, self.gate, source, self.places, self.fetch, _now()
            )
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        await self._record(result)
        return result

    async def _heartbeat(self, source_id: int) -> None:
        beat = self.settings.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(beat)
            with contextlib.suppress(DatabaseError):
                async with self.store.sessions.begin() as session:
                    until = _now() + self.settings.lease
                    await extend_source_lease(session, self.owner, source_id, until)

    async def _record(self, result: SyncResult) -> None:
        source, fetched, now = result.source, result.fetched, _now()
        report = False
        async with self.store.sessions.begin() as session:
            await record_fetch(session, self.owner, source, fetched, now, self._next(result, now))
            if fetched.error is not None:
                report = await claim_report(session, source.id, now, REPORT_AFTER)
        if self.log_outcomes:
            self._log(result)
        if result.changed:
            self.on_change()
        if report and self.on_failing is not None:
            await self.on_failing(source)

    def _next(self, result: SyncResult, now: datetime) -> datetime:
        if result.fetched.error is None:
            return now + self.settings.interval
        doubled = self.settings.interval * (1 << min(result.source.failures, 16))
        return now + min(doubled, max(MAX_BACKOFF, self.settings.interval))

    def _log(self, result: SyncResult) -> None:
        url = shown_url(result.source.url)
        if result.fetched.error is not None:
            log.warning("source %d (%s) failed: %s", result.source.id, url, result.fetched.error)
        elif result.changed and result.report is not None:
            new, updated = result.report.new, result.report.updated
            log.info("source %d (%s): %d new, %d updated", result.source.id, url, new, updated)
        for problem in result.problems:
            log.warning("source %d (%s): %s", result.source.id, url, problem)


def _now() -> datetime:
    return datetime.now(UTC)

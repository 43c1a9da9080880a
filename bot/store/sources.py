"""Sources as rows: adding, listing and removing them, leasing one to fetch, and recording how a
fetch went. These functions never commit: the caller owns the transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import SourceRow

GIT = "git"
FEED = "feed"


@dataclass(frozen=True, slots=True)
class Source:
    """A git repository or a web feed, with the health of its last fetches."""

    id: int
    kind: str
    url: str
    branch: str | None = None
    path: str | None = None
    category: str | None = None
    last_fetch_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_warning: str | None = None
    failures: int = 0
    failing_since: datetime | None = None
    posts: int = 0
    etag: str | None = None
    last_modified: str | None = None
    next_fetch_at: datetime | None = None

    @property
    def failing(self) -> bool:
        return self.failures > 0


@dataclass(frozen=True, slots=True)
class Fetched:
    """How one fetch went: ``error`` is None on success."""

    error: str | None = None
    warning: str | None = None
    posts: int | None = None  # None: unknown (the fetch failed, or nothing was read)
    etag: str | None = None
    last_modified: str | None = None


def _source(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        kind=row.kind,
        url=row.url,
        branch=row.branch,
        path=row.path,
        category=row.category,
        last_fetch_at=row.last_fetch_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_warning=row.last_warning,
        failures=row.failures,
        failing_since=row.failing_since,
        posts=row.posts,
        etag=row.etag,
        last_modified=row.last_modified,
        next_fetch_at=row.next_fetch_at,
    )


async def add_source(
    session: AsyncSession, kind: str, url: str, now: datetime, **options: str | None
) -> Source:
    row = SourceRow(
        kind=kind, url=url, created_at=now, next_fetch_at=now, failures=0, posts=0, **options
    )
    session.add(row)
    await session.flush()
    return _source(row)


async def all_sources(session: AsyncSession) -> list[Source]:
    rows = await session.scalars(select(SourceRow).order_by(SourceRow.id))
    return [_source(row) for row in rows]


async def failing_sources(session: AsyncSession) -> list[Source]:
    query = select(SourceRow).where(SourceRow.failures > 0).order_by(SourceRow.id)
    return [_source(row) for row in await session.scalars(query)]


async def remove_source(session: AsyncSession, source_id: int) -> Source | None:
    row = await session.get(SourceRow, source_id)
    if row is None:
        return None
    source = _source(row)
    await session.execute(delete(SourceRow).where(SourceRow.id == source_id))
    return source


def _lease_free(now: datetime) -> ColumnElement[bool]:
    return or_(SourceRow.lease_until.is_(None), SourceRow.lease_until < now)


async def claim_sources(
    session: AsyncSession,
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
    only: Sequence[int] | None = None,
) -> list[Source]:
    """Lease up to ``limit`` sources nobody holds: the due ones, or those in ``only`` whether
    due or not. One statement, as for delivery channels: on PostgreSQL the candidates are
    locked with SKIP LOCKED and the lease re-checked on the locked row, so two replicas never
    take the same source."""
    due = SourceRow.id.in_(only) if only is not None else SourceRow.next_fetch_at <= now
    candidates = (
        select(SourceRow.id)
        .where(_lease_free(now), due)
        .order_by(SourceRow.next_fetch_at, SourceRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.scalars(
        update(SourceRow)
        .where(SourceRow.id.in_(candidates), _lease_free(now))
        .values(owner=owner, lease_until=lease_until)
        .returning(SourceRow)
    )
    return sorted((_source(row) for row in claimed), key=lambda source: source.id)


async def extend_source_lease(
    session: AsyncSession, owner: str, source_id: int, lease_until: datetime
) -> None:
    await session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id, SourceRow.owner == owner)
        .values(lease_until=lease_until)
    )


async def record_fetch(
    session: AsyncSession,
    owner: str,
    source: Source,
    outcome: Fetched,
    now: datetime,
    next_fetch_at: datetime,
) -> None:
    """Write how a fetch went and give up the lease; the source is next due at
    ``next_fetch_at``."""
    values: dict[str, Any] = {
        "owner": None,
        "lease_until": None,
        "last_fetch_at": now,
        "next_fetch_at": next_fetch_at,
        "last_error": outcome.error,
    }
    if outcome.error is None:
        values |= _success_values(outcome, now)
    else:
        values |= {"failures": source.failures + 1, "failing_since": source.failing_since or now}
    await session.execute(
        update(SourceRow).where(SourceRow.id == source.id, SourceRow.owner == owner).values(values)
    )


def _success_values(outcome: Fetched, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "last_success_at": now,
        "last_warning": outcome.warning,
        "failures": 0,
        "failing_since": None,
        "reported_at": None,
        "etag": outcome.etag,
        "last_modified": outcome.last_modified,
    }
    if outcome.posts is not None:
        values["posts"] = outcome.posts
    return values


async def claim_report(
    session: AsyncSession, source_id: int, now: datetime, after: timedelta
) -> bool:
    """Whether this caller is the one to report the source's current run of failures: it has
    lasted at least ``after`` and nobody has reported it yet. One statement, so it is reported
    once however many replicas ask."""
    claimed = await session.execute(
        update(SourceRow)
        .where(
            SourceRow.id == source_id,
            SourceRow.failing_since <= now - after,
            SourceRow.reported_at.is_(None),
        )
        .values(reported_at=now)
        .returning(SourceRow.id)
    )
    return claimed.first() is not None

"""Channel subscriptions: saving them, and finding the channels a post goes to.

These functions never commit: the caller owns the transaction.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post
from bot.store.bulk import table_of, upsert
from bot.store.post_words import first_mentioned, mentions_any
from bot.store.posts import posts_published_between
from bot.store.schema import ALL_CATEGORIES, ChannelStateRow, SubscriptionRow

_KEY_COLUMNS = ("team_id", "channel_id", "category_key")


@dataclass(frozen=True, slots=True)
class Subscription:
    """One channel's wish for one category (or ``ALL_CATEGORIES``), with its filters."""

    team_id: str
    channel_id: str
    category_key: str
    category_name: str
    created_by: str | None
    created_at: datetime
    min_sentiment: float | None = None
    keywords: tuple[str, ...] = ()
    digest: str | None = None  # None: live delivery; else "daily@HH:MM" or "weekly@monHH:MM"
    digest_tz: str | None = None
    digest_next_at: datetime | None = None
    digest_last_at: datetime | None = None
    excluded: tuple[str, ...] = ()  # words and phrases that keep a post out
    thread: bool = False  # each post as a short parent with its card as the first reply

    @property
    def is_all(self) -> bool:
        return self.category_key == ALL_CATEGORIES

    def matches(self, post: Post) -> bool:
        """Whether this subscription wants the post (pauses and digests aside)."""
        return (
            self.category_matches(post)
            and self.sentiment_matches(post)
            and mentions_any(post, self.keywords)
            and self.excluded_by(post) is None
        )

    def excluded_by(self, post: Post) -> str | None:
        """The first excluded word or phrase the post mentions, if any."""
        return first_mentioned(post, self.excluded)

    def category_matches(self, post: Post) -> bool:
        return self.is_all or any(c.casefold() == self.category_key for c in post.categories)

    def sentiment_matches(self, post: Post) -> bool:
        if self.min_sentiment is None:
            return True
        return post.sentiment_score is not None and post.sentiment_score >= self.min_sentiment


@dataclass(frozen=True, slots=True)
class DueDigest:
    """A channel's digest subscriptions that fall due at one moment: they make one message."""

    team_id: str
    channel_id: str
    due_at: datetime
    subscriptions: tuple[Subscription, ...] = field(default=())


def _to_subscription(row: Any) -> Subscription:
    """From an ORM row or a plain one with the table's columns."""
    return Subscription(
        team_id=row.team_id,
        channel_id=row.channel_id,
        category_key=row.category_key,
        category_name=row.category_name,
        created_by=row.created_by,
        created_at=row.created_at,
        min_sentiment=row.min_sentiment,
        keywords=tuple(row.keywords or ()),
        excluded=tuple(row.excluded or ()),
        thread=bool(row.thread),
        digest=row.digest,
        digest_tz=row.digest_tz,
        digest_next_at=row.digest_next_at,
        digest_last_at=row.digest_last_at,
    )


def _values(subscription: Subscription) -> dict[str, Any]:
    values = {name: getattr(subscription, name) for name in Subscription.__slots__}
    values["keywords"] = list(subscription.keywords)
    values["excluded"] = list(subscription.excluded)
    return values


async def save_subscriptions(session: AsyncSession, subscriptions: Iterable[Subscription]) -> None:
    """Insert or replace (by team, channel and category) each subscription."""
    rows = [_values(subscription) for subscription in subscriptions]
    if rows:
        await session.execute(upsert(session, table_of(SubscriptionRow), _KEY_COLUMNS), rows)


async def remove_subscriptions(
    session: AsyncSession, team_id: str, channel_id: str, category_keys: Collection[str] | None
) -> list[Subscription]:
    """Remove the channel's subscriptions to these category keys (every one when ``None``);
    returns those that existed."""
    existing = await channel_subscriptions(session, team_id, channel_id)
    if category_keys is not None:
        existing = [s for s in existing if s.category_key in category_keys]
    keys = [s.category_key for s in existing]
    if keys:
        await session.execute(
            delete(SubscriptionRow).where(
                _in_channel(team_id, channel_id), SubscriptionRow.category_key.in_(keys)
            )
        )
    return existing


def _in_channel(team_id: str, channel_id: str) -> ColumnElement[bool]:
    return and_(SubscriptionRow.team_id == team_id, SubscriptionRow.channel_id == channel_id)


async def channel_subscriptions(
    session: AsyncSession, team_id: str, channel_id: str
) -> list[Subscription]:
    query = (
        select(SubscriptionRow)
        .where(_in_channel(team_id, channel_id))
        .order_by(SubscriptionRow.category_key)
    )
    return [_to_subscription(row) for row in await session.scalars(query)]


async def team_subscriptions(session: AsyncSession, team_id: str) -> list[Subscription]:
    """Every subscription in a workspace, by channel then category."""
    query = (
        select(SubscriptionRow)
        .where(SubscriptionRow.team_id == team_id)
        .order_by(SubscriptionRow.channel_id, SubscriptionRow.category_key)
    )
    return [_to_subscription(row) for row in await session.scalars(query)]


async def every_subscription(session: AsyncSession, team_id: str | None) -> list[Subscription]:
    """Every subscription (in one workspace, when ``team_id`` is given), by team, channel and
    category: what ``newsbot subscriptions export`` writes."""
    query = select(SubscriptionRow).order_by(
        SubscriptionRow.team_id, SubscriptionRow.channel_id, SubscriptionRow.category_key
    )
    if team_id is not None:
        query = query.where(SubscriptionRow.team_id == team_id)
    return [_to_subscription(row) for row in await session.scalars(query)]


def _not_paused() -> ColumnElement[bool]:
    return ChannelStateRow.paused_at.is_(None)


def _channel_state_join() -> ColumnElement[bool]:
    return and_(
        ChannelStateRow.team_id == SubscriptionRow.team_id,
        ChannelStateRow.channel_id == SubscriptionRow.channel_id,
    )


def _sentiment_allows(score: float | None) -> ColumnElement[bool]:
    no_minimum = SubscriptionRow.min_sentiment.is_(None)
    return no_minimum if score is None else or_(no_minimum, SubscriptionRow.min_sentiment <= score)


async def any_live_subscription(session: AsyncSession) -> bool:
    """Whether any channel takes posts as they arrive (a subscription that is not a digest),
    paused or not: without one, planning has no channel to look for."""
    query = select(SubscriptionRow.channel_id).where(SubscriptionRow.digest.is_(None)).limit(1)
    return await session.scalar(query) is not None


async def channels_for_post(session: AsyncSession, post: Post) -> list[Subscription]:
    """The live (not digest, not paused) subscriptions that want this post, in every workspace:
    one per channel, so a channel subscribed to two of the post's categories gets it once."""
    keys = [name.casefold() for name in post.categories] + [ALL_CATEGORIES]
    # Plain rows, not ORM objects: a post can go to thousands of channels.
    query = (
        select(table_of(SubscriptionRow))
        .outerjoin(ChannelStateRow, _channel_state_join())
        .where(
            SubscriptionRow.category_key.in_(keys),
            SubscriptionRow.digest.is_(None),
            _not_paused(),
            _sentiment_allows(post.sentiment_score),
        )
        .order_by(SubscriptionRow.team_id, SubscriptionRow.channel_id, SubscriptionRow.category_key)
    )
    chosen: dict[tuple[str, str], Subscription] = {}
    for row in await session.execute(query):
        subscription = _to_subscription(row)
        channel = (subscription.team_id, subscription.channel_id)
        if channel not in chosen and subscription.matches(post):
            chosen[channel] = subscription
    return list(chosen.values())


async def due_digests(session: AsyncSession, now: datetime) -> list[DueDigest]:
    """Digests due at or before ``now`` in channels that are not paused, oldest first; a
    channel's subscriptions with the same schedule due at the same moment make one digest."""
    query = (
        select(SubscriptionRow)
        .outerjoin(ChannelStateRow, _channel_state_join())
        .where(SubscriptionRow.digest_next_at <= now, _not_paused())
        .order_by(
            SubscriptionRow.digest_next_at,
            SubscriptionRow.team_id,
            SubscriptionRow.channel_id,
            SubscriptionRow.category_key,
        )
    )
    groups: dict[tuple[str, str, datetime, str | None], list[Subscription]] = {}
    for row in await session.scalars(query):
        s = _to_subscription(row)
        assert s.digest_next_at is not None  # the query asked for it
        groups.setdefault((s.team_id, s.channel_id, s.digest_next_at, s.digest), []).append(s)
    return [DueDigest(*key[:3], tuple(subs)) for key, subs in groups.items()]


async def digest_posts(
    session: AsyncSession, digest: DueDigest, since: datetime, limit: int
) -> list[Post]:
    """The posts published after ``since`` and up to the digest's due time that one of its
    subscriptions wants, oldest first, at most ``limit``."""
    keys = {s.category_key for s in digest.subscriptions}
    categories = None if ALL_CATEGORIES in keys else keys
    posts = await posts_published_between(session, since, digest.due_at, categories)
    wanted = [p for p in posts if any(s.matches(p) for s in digest.subscriptions)]
    return wanted[:limit]


async def claim_digest(
    session: AsyncSession, digest: DueDigest, next_at: datetime, period_end: datetime
) -> bool:
    """Move the digest on to ``next_at`` if no one else has yet: exactly one replica wins."""
    claimed = await session.execute(
        update(SubscriptionRow)
        .where(
            _in_channel(digest.team_id, digest.channel_id),
            SubscriptionRow.category_key.in_([s.category_key for s in digest.subscriptions]),
            SubscriptionRow.digest_next_at == digest.due_at,
        )
        .values(digest_next_at=next_at, digest_last_at=period_end)
    )
    return bool(getattr(claimed, "rowcount", 0))

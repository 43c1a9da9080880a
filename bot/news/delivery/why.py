"""``/news why ID``: whether a post reached the asker's channel, when, or exactly why not.

The answer is read from the delivery ledger (the channel's row for the post, if it was ever
queued there) and, when there is no row, from the channel's subscriptions and pause: the same
rules the planner applied, asked again, so the reason is never a guess. The App Home gives the
same answer for each channel's newest posts.
"""

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from bot import messages
from bot.news.answers import (
    Answer,
    DeliveryExplained,
    Explanation,
    Problem,
    Why,
    WorkspaceChannel,
    WorkspaceSubscriptions,
)
from bot.news.context import VerbContext, VerbSpec
from bot.news.delivery.schedule import DigestSchedule, ScheduleError
from bot.news.publisher import PublishError
from bot.news.search.browse import unknown_post
from bot.posts import Post
from bot.store import Session
from bot.store.channel_leases import channel_due
from bot.store.channels import ChannelPause, channel_pause
from bot.store.deliveries import (
    FAILED,
    OUTDATED,
    PENDING,
    SENDING,
    SENT,
    ChannelKey,
    Delivery,
    DeliveryKey,
    delivery_of,
)
from bot.store.delivery_plans import stored_at
from bot.store.posts import get_post, latest_posts
from bot.store.subscriptions import Subscription, channel_subscriptions

log = logging.getLogger(__name__)

# Slack's error code for a 429, as the ledger records it.
RATE_LIMITED_CODES = frozenset({"ratelimited", "rate_limited", "http_429"})
HOME_LATEST = 3
# The App Home explains the newest posts of this many channels: a bound on its queries.
HOME_CHANNELS = 20


async def why(ctx: VerbContext, args: str) -> Answer:
    """``why ID``: the post's fate in the channel the question is asked in."""
    words = args.split()
    if not words:
        return Problem(messages.WHY_NEEDS_ID)
    channel = ChannelKey(ctx.asker.team_id, ctx.asker.channel_id)
    async with ctx.store.sessions() as session:
        post = await get_post(session, words[0])
        if post is None:
            return await unknown_post(session, words[0])
        explanation = await explain(session, channel, post)
    return DeliveryExplained(channel.channel_id, post, await _linked(ctx, channel, explanation))


async def _linked(ctx: VerbContext, channel: ChannelKey, explanation: Explanation) -> Explanation:
    """A delivered post's explanation with a link to its message, when Slack gives one."""
    if ctx.publisher is None or explanation.message_id is None:
        return explanation
    try:
        link = await ctx.publisher.permalink(channel, explanation.message_id)
    except PublishError as error:
        log.info("no permalink for %s in %s: %s", explanation.message_id, channel, error.reason)
        return explanation
    return replace(explanation, link=link or None)


async def explain(
    session: Session, channel: ChannelKey, post: Post, now: datetime | None = None
) -> Explanation:
    """What became of ``post`` in ``channel``, and why."""
    moment = now or datetime.now(UTC)
    row = await delivery_of(session, DeliveryKey(channel.team_id, channel.channel_id, post.id))
    pause = await channel_pause(session, channel.team_id, channel.channel_id)
    if row is not None:
        return _from_ledger(row, pause, await channel_due(session, channel), moment)
    subscriptions = await channel_subscriptions(session, channel.team_id, channel.channel_id)
    arrival = await stored_at(session, post.id)
    return _unqueued(post, subscriptions, pause, arrival)


def _from_ledger(
    row: Delivery, pause: ChannelPause | None, due: datetime | None, now: datetime
) -> Explanation:
    if row.state in (SENT, OUTDATED) and row.message_ts:
        kind = Why.DELIVERED if row.state == SENT else Why.UPDATING
        return Explanation(kind, when=_moment(row.message_ts), message_id=row.message_ts)
    if row.state == SENDING:
        return Explanation(Why.SENDING)
    if row.state == FAILED:
        return Explanation(Why.FAILED, error=row.last_error or "?", attempts=row.attempts)
    if pause is not None:
        return _paused(pause)
    if row.state == PENDING and row.last_error and due is not None and due > now:
        limited = row.last_error in RATE_LIMITED_CODES
        kind = Why.RATE_LIMITED if limited else Why.RETRYING
        return Explanation(kind, when=due, error=row.last_error, attempts=row.attempts)
    return Explanation(Why.QUEUED)


def _paused(pause: ChannelPause) -> Explanation:
    return Explanation(Why.PAUSED, when=pause.paused_at, who=pause.paused_by, error=pause.reason)


def _moment(ts: str) -> datetime | None:
    """When Slack stored a message: its ``ts`` is seconds since 1970."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except ValueError:
        return None


def _unqueued(
    post: Post,
    subscriptions: Sequence[Subscription],
    pause: ChannelPause | None,
    arrival: tuple[datetime, bool] | None,
) -> Explanation:
    """No ledger row: the subscriptions say why the planner passed the channel over."""
    wanting = [s for s in subscriptions if s.category_matches(post)]
    if not wanting:
        return Explanation(Why.NOT_SUBSCRIBED)
    live = [s for s in wanting if s.digest is None and s.matches(post)]
    if live:
        return _live_but_unqueued(live[0], pause, arrival)
    digests = [s for s in wanting if s.digest is not None and s.matches(post)]
    if digests:
        return _in_digest(post, digests[0])
    return _filtered_out(post, wanting)


def _live_but_unqueued(
    subscription: Subscription,
    pause: ChannelPause | None,
    arrival: tuple[datetime, bool] | None,
) -> Explanation:
    if arrival is None or not arrival[1]:
        return Explanation(Why.NOT_PLANNED)
    arrived = arrival[0]
    if arrived < subscription.created_at:
        return Explanation(
            Why.BEFORE_SUBSCRIBED,
            when=arrived,
            since=subscription.created_at,
            subscription=subscription,
        )
    if pause is not None:
        return _paused(pause)
    return Explanation(Why.NOT_QUEUED)


def _in_digest(post: Post, subscription: Subscription) -> Explanation:
    """A digest takes the posts published since the last one (or, before the first, during
    the period before it is due), as ``bot.news.delivery.digests`` reads them."""
    since = _digest_since(subscription)
    if since is None or post.published_at > since:
        return Explanation(
            Why.IN_DIGEST, when=subscription.digest_next_at, subscription=subscription
        )
    if subscription.digest_last_at is not None:
        return Explanation(Why.DIGEST_PAST, when=since, subscription=subscription)
    return Explanation(
        Why.BEFORE_SUBSCRIBED,
        when=post.published_at,
        since=subscription.created_at,
        subscription=subscription,
    )


def _digest_since(subscription: Subscription) -> datetime | None:
    if subscription.digest_last_at is not None:
        return subscription.digest_last_at
    if subscription.digest_next_at is None:
        return None
    try:
        period = DigestSchedule.parse(subscription.digest or "").period
    except ScheduleError:
        return None
    return subscription.digest_next_at - period


def _filtered_out(post: Post, wanting: Sequence[Subscription]) -> Explanation:
    """Every subscription to the post's categories turned it away: the first one's reason
    (live subscriptions before digests)."""
    subscription = sorted(wanting, key=lambda s: s.digest is not None)[0]
    if not subscription.sentiment_matches(post):
        return Explanation(Why.BELOW_SENTIMENT, subscription=subscription)
    word = subscription.excluded_by(post)
    if word is not None:
        return Explanation(Why.EXCLUDED, word=word, subscription=subscription)
    return Explanation(Why.NO_KEYWORD, subscription=subscription)


async def with_latest(
    ctx: VerbContext, workspace: WorkspaceSubscriptions
) -> WorkspaceSubscriptions:
    """The App Home's channels, each with its newest posts and what became of them."""
    channels = list(workspace.channels)
    async with ctx.store.sessions() as session:
        for index, channel in enumerate(channels[:HOME_CHANNELS]):
            latest = await _latest_explained(session, ctx.asker.team_id, channel)
            channels[index] = replace(channel, latest=latest)
    return WorkspaceSubscriptions(tuple(channels))


async def _latest_explained(
    session: Session, team_id: str, channel: WorkspaceChannel
) -> tuple[DeliveryExplained, ...]:
    posts: dict[str, Post] = {}
    for subscription in channel.subscriptions:
        category = None if subscription.is_all else subscription.category_name
        for post in await latest_posts(session, HOME_LATEST, category):
            posts[post.id] = post
    newest = sorted(posts.values(), key=lambda p: (p.published_at, p.id), reverse=True)
    key = ChannelKey(team_id, channel.channel_id)
    return tuple(
        [
            DeliveryExplained(channel.channel_id, post, await explain(session, key, post))
            for post in newest[:HOME_LATEST]
        ]
    )


VERBS = (VerbSpec("why", *messages.VERB_WHY, handler=why),)

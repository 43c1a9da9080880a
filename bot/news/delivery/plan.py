"""Fan-out planning: turn posts new to the store into ledger rows, one per matching channel.

A post is new when the planner first sees it (``planned_posts`` has no row for it), and it goes
to the channels that subscribed before it arrived in the store: a channel gets the posts that
arrive after it subscribed, never the archive. An edited
post (its content hash changed) marks its delivered messages ``outdated``, to be updated in
place. Planning is one transaction per batch: a crash leaves the posts unplanned, and the next
run plans them again; ``add_pending`` ignores rows that exist, so that never doubles a delivery.
A row is queued in thread mode when the subscription that brought the post asks for threads.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.posts import Post
from bot.store import Session, Store
from bot.store.deliveries import DeliveryKey
from bot.store.delivery_plans import (
    add_pending,
    mark_new_posts_planned,
    mark_outdated,
    mark_planned,
    unplanned_posts,
)
from bot.store.locks import take_planning_turn
from bot.store.posts import posts_by_id
from bot.store.subscriptions import any_live_subscription, channels_for_post

PLAN_BATCH = 500


@dataclass(frozen=True, slots=True)
class FanOut:
    """The rows to queue, and which of them go out in thread mode."""

    keys: list[DeliveryKey]
    threaded: frozenset[DeliveryKey]


@dataclass
class PlanReport:
    new_posts: int = 0
    edited_posts: int = 0
    queued: int = 0


async def fan_out(
    session: Session, posts: Iterable[Post], arrived: Mapping[str, datetime]
) -> FanOut:
    """Each (channel, post) a live subscription asks for: not digests, not paused channels,
    once per channel however many of its subscriptions match, and only posts that arrived
    after the channel subscribed."""
    keys: list[DeliveryKey] = []
    threaded: set[DeliveryKey] = set()
    for post in posts:
        for subscription in await channels_for_post(session, post):
            if subscription.created_at <= arrived[post.id]:
                key = DeliveryKey(subscription.team_id, subscription.channel_id, post.id)
                keys.append(key)
                if subscription.thread:
                    threaded.add(key)
    return FanOut(keys, frozenset(threaded))


async def plan_deliveries(store: Store) -> PlanReport:
    """Plan every post not yet planned at its current content."""
    report = PlanReport()
    while await _plan_batch(store, report) == PLAN_BATCH:
        pass
    return report


async def _plan_for_no_one(session: Session, report: PlanReport, now: datetime) -> None:
    """While no channel takes posts as they arrive there is no one to fan new posts out to, so
    they are all marked planned in one statement instead of being read batch by batch (after a
    large first ingest that is the whole archive). Edited posts still go through the batches:
    their delivered messages are updated in place whether or not anyone still subscribes.
    Done inside the batch's transaction, not one of its own: a fan-out's first Slack call
    waits for planning, and on PostgreSQL a transaction costs round trips."""
    if not await any_live_subscription(session):
        report.new_posts += await mark_new_posts_planned(session, now)


async def _plan_batch(store: Store, report: PlanReport) -> int:
    now = datetime.now(UTC)
    async with store.sessions.begin() as session:
        if not await take_planning_turn(session):
            return 0
        await _plan_for_no_one(session, report, now)
        found = await unplanned_posts(session, PLAN_BATCH)
        if not found:
            return 0
        new_ids = [post.post_id for post in found if not post.edited]
        edited_ids = [post.post_id for post in found if post.edited]
        posts = await posts_by_id(session, new_ids)
        arrived = {post.post_id: post.stored_at for post in found}
        planned = await fan_out(session, posts.values(), arrived)
        await add_pending(session, planned.keys, now, planned.threaded)
        await mark_outdated(session, edited_ids, now)
        await mark_planned(session, [(post.post_id, post.content_hash) for post in found], now)
    report.new_posts += len(new_ids)
    report.edited_posts += len(edited_ids)
    report.queued += len(planned.keys)
    return len(found)

"""Digests: finding the ones that are due, deciding what each sends, and the hook a background
loop calls to send them.

A due digest is claimed before it is sent (``claim_digest`` moves it to its next time in the same
transaction that reads its posts), so two replicas never both send it; a replica that dies
between the claim and the send loses that one digest (at most once, never twice).
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.news.answers import DigestDelivery, DigestSummary, PostCard
from bot.news.delivery.pause import SubscriberNotice
from bot.news.delivery.schedule import DigestSchedule, ScheduleError, time_zone
from bot.news.publisher import ChannelUnavailableError, Publisher, PublishError
from bot.posts import Post
from bot.store.channels import pause_channel
from bot.store.database import Store
from bot.store.deliveries import ChannelKey
from bot.store.subscriptions import DueDigest, claim_digest, digest_posts, due_digests

log = logging.getLogger(__name__)

# Each post is one thread reply, sent about a second apart: keep a digest within a minute.
MAX_DIGEST_POSTS = 40


def build_delivery(
    digest: DueDigest, schedule: DigestSchedule, zone: str, since: datetime, posts: Sequence[Post]
) -> DigestDelivery:
    """What a due digest sends: the parent listing the posts, then one card per post."""
    parent = DigestSummary(str(schedule), zone, since, digest.due_at, tuple(posts))
    replies = tuple(PostCard(post) for post in posts)
    return DigestDelivery(digest.team_id, digest.channel_id, digest.due_at, parent, replies)


async def take_due_digests(store: Store, now: datetime) -> list[DigestDelivery]:
    """Claim every digest due by ``now`` and return those with posts to send. Each is moved on
    to its next time whether or not it had posts, so an empty period sends nothing."""
    async with store.sessions() as session:
        due = await due_digests(session, now)
    taken = [await _take(store, digest, now) for digest in due]
    return [delivery for delivery in taken if delivery is not None]


async def _take(store: Store, digest: DueDigest, now: datetime) -> DigestDelivery | None:
    first = digest.subscriptions[0]
    try:
        schedule = DigestSchedule.parse(first.digest or "")
    except ScheduleError:
        log.error("unreadable digest schedule %r in %s; skipped", first.digest, first.channel_id)
        return None
    zone = time_zone(first.digest_tz)
    since = first.digest_last_at or digest.due_at - schedule.period
    # After downtime, send the missed period once and carry on from now, not from the past.
    next_at = schedule.next_after(max(now, digest.due_at), zone)
    async with store.sessions() as session, session.begin():
        if not await claim_digest(session, digest, next_at, digest.due_at):
            return None  # another replica took it
        posts = await digest_posts(session, digest, since, MAX_DIGEST_POSTS)
    return build_delivery(digest, schedule, str(zone), since, posts) if posts else None


async def run_due_digests(store: Store, publisher: Publisher, now: datetime | None = None) -> int:
    """The loop hook: send every digest that is due; returns how many were sent. A digest that
    fails is not sent again (it was claimed: at most once) and the other due digests still go
    out. A channel that cannot take its digest is paused with the platform's reason, and its
    subscribers are told, as the delivery engine does for channel auto-posts."""
    sent = 0
    for delivery in await take_due_digests(store, now or datetime.now(UTC)):
        try:
            await publisher.send_digest(delivery)
        except ChannelUnavailableError as error:
            await _pause(store, publisher, delivery, error.reason)
            continue
        except PublishError as error:
            log.warning("digest for %s not sent: %s", delivery.channel_id, error.reason)
            continue
        sent += 1
    return sent


async def _pause(store: Store, publisher: Publisher, delivery: DigestDelivery, reason: str) -> None:
    log.warning("digest for %s not sent: %s", delivery.channel_id, reason)
    async with store.sessions() as session, session.begin():
        await pause_channel(session, delivery.team_id, delivery.channel_id, reason)
    await SubscriberNotice(store, publisher)(
        ChannelKey(delivery.team_id, delivery.channel_id), reason
    )

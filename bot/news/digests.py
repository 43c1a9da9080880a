"""Digests: finding the ones that are due, deciding what each sends, and the hook a background
loop calls to send them.

A due digest is claimed before it is sent (``claim_digest`` moves it to its next time in the same
transaction that reads its posts), so two replicas never both send it; a replica that dies
between the claim and the send loses that one digest (at most once, never twice).
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from bot.news.answers import PostCard
from bot.news.digest_schedule import DigestSchedule, ScheduleError, time_zone
from bot.news.pausing import SubscriberNotice, Teller
from bot.news.subscription_answers import DigestDelivery, DigestSummary
from bot.posts import Post
from bot.store.channels import pause_channel
from bot.store.database import Store
from bot.store.deliveries import ChannelKey
from bot.store.subscriptions import DueDigest, claim_digest, digest_posts, due_digests

log = logging.getLogger(__name__)

# Each post is one thread reply, sent about a second apart: keep a digest within a minute.
MAX_DIGEST_POSTS = 40


class DigestSendError(Exception):
    """The digest could not be sent (``reason`` is Slack's error or a summary). It was claimed,
    so it is not sent again (at most once); the other due digests still go out."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DigestChannelError(DigestSendError):
    """The channel cannot take the digest until a person acts (``reason`` is Slack's error,
    e.g. ``not_in_channel``); the channel is paused with that reason and its subscribers told,
    as the delivery engine does for channel auto-posts."""


class DigestSender(Teller, Protocol):
    """Sends one digest: the parent message, then each card as a reply in its thread, each
    message after waiting out any rate limit. Raises ``DigestSendError`` on failure. Also tells
    people by direct message (``tell_user``) why their channel was paused."""

    async def send_digest(self, delivery: DigestDelivery) -> None: ...


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


async def run_due_digests(store: Store, sender: DigestSender, now: datetime | None = None) -> int:
    """The loop hook: send every digest that is due; returns how many were sent. A channel
    that cannot take its digest is paused with Slack's reason, and its subscribers are told."""
    sent = 0
    for delivery in await take_due_digests(store, now or datetime.now(UTC)):
        try:
            await sender.send_digest(delivery)
        except DigestChannelError as error:
            await _pause(store, sender, delivery, error.reason)
            continue
        except DigestSendError as error:
            log.warning("digest for %s not sent: %s", delivery.channel_id, error.reason)
            continue
        sent += 1
    return sent


async def _pause(store: Store, sender: DigestSender, delivery: DigestDelivery, reason: str) -> None:
    log.warning("digest for %s not sent: %s", delivery.channel_id, reason)
    async with store.sessions() as session, session.begin():
        await pause_channel(session, delivery.team_id, delivery.channel_id, reason)
    await SubscriberNotice(store, sender)(ChannelKey(delivery.team_id, delivery.channel_id), reason)

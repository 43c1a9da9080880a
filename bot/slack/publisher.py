"""The one way newsbot publishes to Slack: cards, grouped messages, updates, lookups, digests and
DMs, and the one place a Web API failure becomes a ``bot.news.publisher.PublishError``.

Every delivered message carries the ids of its posts in Slack message metadata, so a replica
that took over a channel after a crash can look the message up (``conversations.history``)
instead of posting it again.

The 429 policy: the client waits out ``Retry-After`` itself a few times (its rate-limit retry
handler); a 429 that persists becomes ``RateLimitedError``. The delivery engine then schedules the
channel's next try; a digest, already claimed, waits here and tries the same message again.

The client keeps only the rate-limit retry handler of the factory's client. Retrying a
``chat.postMessage`` after a dropped connection or a 5xx could post it twice; the delivery engine
handles those itself, by looking the message up first.
"""

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.answers import DigestDelivery, NewPosts, PostCard, ThreadParent
from bot.news.publisher import (
    ChannelUnavailableError,
    MessageGoneError,
    PublishError,
    RateLimitedError,
    ThreadPosted,
    UncertainOutcomeError,
    UnreachableError,
)
from bot.posts import Post
from bot.slack.blocks import SlackMessage, render
from bot.store.deliveries import ChannelKey

log = logging.getLogger(__name__)

EVENT_TYPE = "newsbot_delivery"
CHANNEL_GONE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
HISTORY_PAGE = 200
HISTORY_PAGES = 10
DEFAULT_RETRY_AFTER = 30.0
CARD_CACHE = 256
# Slack's pace for one channel: a digest's replies go out about a second apart.
DIGEST_PACE_SECONDS = 1.0
# A 429 posts nothing, so a digest's message is tried again after Retry-After; this many times in
# all (beyond the client's own retries) before the digest is given up.
DIGEST_ATTEMPTS = 10


def delivery_client(client: AsyncWebClient) -> AsyncWebClient:
    """A client like ``client`` that retries only 429s (after ``Retry-After``)."""
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        retry_handlers=[
            h for h in client.retry_handlers if isinstance(h, AsyncRateLimitErrorRetryHandler)
        ],
    )


def metadata(posts: Sequence[Post]) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"post_ids": " ".join(p.id for p in posts)}}


class SlackPublisher:
    """``bot.news.publisher.Publisher`` on the Slack Web API, one workspace per client."""

    def __init__(
        self, client: AsyncWebClient, digest_pace_seconds: float = DIGEST_PACE_SECONDS
    ) -> None:
        self.client = delivery_client(client)
        self._digest_pace = digest_pace_seconds
        self._cards: OrderedDict[tuple[str, str], SlackMessage] = OrderedDict()

    def card(self, post: Post) -> SlackMessage:
        """The post's card, rendered once per content: a fan-out sends the same card to every
        channel, and building Block Kit costs more than posting it."""
        key = (post.id, post.content_hash)
        message = self._cards.get(key)
        if message is None:
            message = self._cards[key] = render(PostCard(post))
            if len(self._cards) > CARD_CACHE:
                self._cards.popitem(last=False)
        return message

    async def post_card(self, channel: ChannelKey, post: Post) -> str:
        return await self._post(channel, self.card(post), [post])

    async def post_group(self, channel: ChannelKey, posts: Sequence[Post]) -> str:
        return await self._post(channel, render(NewPosts(tuple(posts))), posts)

    async def update_card(self, channel: ChannelKey, message_id: str, post: Post) -> None:
        await self._update(channel, message_id, self.card(post), [post])

    async def update_group(
        self, channel: ChannelKey, message_id: str, posts: Sequence[Post]
    ) -> None:
        await self._update(channel, message_id, render(NewPosts(tuple(posts))), posts)

    async def post_thread(self, channel: ChannelKey, posts: Sequence[Post]) -> ThreadPosted:
        parent_ts = await self._post(channel, _thread_parent(posts), posts)
        replies: dict[str, str] = {}
        for post in posts:
            if replies:
                await asyncio.sleep(self._digest_pace)
            try:
                replies[post.id] = await self._send(channel.channel_id, self.card(post), parent_ts)
            except PublishError as error:
                log.warning("card reply in %s not posted: %s", channel, error.reason)
                return ThreadPosted(parent_ts, replies, error.reason)
        return ThreadPosted(parent_ts, replies)

    async def update_thread(
        self,
        channel: ChannelKey,
        message_id: str,
        posts: Sequence[Post],
        replies: Mapping[str, str],
    ) -> None:
        await self._update(channel, message_id, _thread_parent(posts), posts)
        for post in posts:
            reply_ts = replies.get(post.id)
            if reply_ts is not None:
                await self._update(channel, reply_ts, self.card(post))

    async def permalink(self, channel: ChannelKey, message_id: str) -> str:
        answer = await calling(
            self.client.chat_getPermalink(channel=channel.channel_id, message_ts=message_id)
        )
        return str(answer.get("permalink") or "")

    async def find_delivered(
        self, channel: ChannelKey, post_ids: Sequence[str], since: datetime
    ) -> dict[str, str]:
        wanted = set(post_ids)
        found: dict[str, str] = {}
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = await calling(
                self.client.conversations_history(
                    channel=channel.channel_id,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                )
            )
            for message in page.get("messages") or []:
                for post_id in _delivered_ids(message) & wanted:
                    found[post_id] = str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor or not page.get("has_more"):
                break
        return found

    async def send_digest(self, delivery: DigestDelivery) -> None:
        channel = delivery.channel_id
        parent_ts = await _patiently(channel, partial(self._send, channel, render(delivery.parent)))
        for card in delivery.replies:
            await asyncio.sleep(self._digest_pace)
            await _patiently(channel, partial(self._send, channel, render(card), parent_ts))

    async def tell_user(self, team_id: str, user_id: str, text: str) -> None:
        opened = await calling(self.client.conversations_open(users=user_id))
        channel_id = opened["channel"]["id"]
        await calling(self.client.chat_postMessage(channel=channel_id, text=text))

    async def _post(self, channel: ChannelKey, message: SlackMessage, posts: Sequence[Post]) -> str:
        answer = await calling(
            self.client.chat_postMessage(
                channel=channel.channel_id,
                text=message.text,
                blocks=message.blocks,
                metadata=metadata(posts),
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        return str(answer["ts"])

    async def _send(
        self, channel_id: str, message: SlackMessage, thread_ts: str | None = None
    ) -> str:
        answer = await calling(
            self.client.chat_postMessage(
                channel=channel_id,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message.payload(),
            )
        )
        return str(answer["ts"])

    async def _update(
        self,
        channel: ChannelKey,
        message_id: str,
        message: SlackMessage,
        posts: Sequence[Post] = (),
    ) -> None:
        """Replace a message; ``posts`` are the ids its metadata carries (a thread reply has
        none: only parents are looked up after a lost send)."""
        await calling(
            self.client.chat_update(
                channel=channel.channel_id,
                ts=message_id,
                text=message.text,
                blocks=message.blocks,
                metadata=metadata(posts) if posts else None,
            )
        )


def _thread_parent(posts: Sequence[Post]) -> SlackMessage:
    """Thread mode's parent: one post's short message, or the list of several."""
    if len(posts) == 1:
        return render(ThreadParent(posts[0]))
    return render(NewPosts(tuple(posts)))


async def _patiently(channel_id: str, send: Callable[[], Awaitable[str]]) -> str:
    """``send()``, waiting out up to ``DIGEST_ATTEMPTS`` rate limits."""
    for _ in range(DIGEST_ATTEMPTS - 1):
        try:
            return await send()
        except RateLimitedError as error:
            log.info("digest for %s rate limited; again in %.0f s", channel_id, error.retry_after)
            await asyncio.sleep(error.retry_after)
    return await send()


def _delivered_ids(message: dict[str, Any]) -> set[str]:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return set()
    return set(str((meta.get("event_payload") or {}).get("post_ids", "")).split())


async def calling(call: Awaitable[Any]) -> dict[str, Any]:
    """Await a Web API call and return its data; a failure becomes a ``PublishError``."""
    try:
        response = await call
    except SlackApiError as error:
        raise _translated(error) from error
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise UnreachableError(str(error) or type(error).__name__) from error
    data: dict[str, Any] = response.data if isinstance(response.data, dict) else {}
    return data


def _translated(error: SlackApiError) -> PublishError:
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429:
        return RateLimitedError(code, _retry_after(error))
    if status >= 500:
        return UncertainOutcomeError(code)
    if code in CHANNEL_GONE:
        return ChannelUnavailableError(code)
    if code in MESSAGE_GONE:
        return MessageGoneError(code)
    return PublishError(code)


def _retry_after(error: SlackApiError) -> float:
    """The seconds a 429 answer asks to wait (``DEFAULT_RETRY_AFTER`` when it does not say)."""
    headers = error.response.headers
    return _seconds(headers.get("Retry-After") or headers.get("retry-after"))


def _seconds(value: object) -> float:
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(str(value)), 0.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER

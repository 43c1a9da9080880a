"""The Web API side of delivery: cards, grouped messages, updates, lookups and DMs.

Every delivered message carries the ids of its posts in Slack message metadata, so a replica
that took over a channel after a crash can look the message up (``conversations.history``)
instead of posting it again.

The client keeps only the rate-limit retry handler of the factory's client. Retrying a
``chat.postMessage`` after a dropped connection or a 5xx could post it twice; the delivery engine
handles those itself, by looking the message up first.
"""

import logging
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.answers import PostCard
from bot.news.publishing import (
    ChannelUnavailableError,
    MessageGoneError,
    NewPosts,
    PublishError,
    RateLimitedError,
    UncertainOutcomeError,
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
    """``bot.news.publishing.Publisher`` on the Slack Web API, one workspace per client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = delivery_client(client)
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

    async def find_delivered(
        self, channel: ChannelKey, post_ids: Sequence[str], since: datetime
    ) -> dict[str, str]:
        wanted = set(post_ids)
        found: dict[str, str] = {}
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = await _calling(
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

    async def tell_user(self, team_id: str, user_id: str, text: str) -> None:
        opened = await _calling(self.client.conversations_open(users=user_id))
        channel_id = opened["channel"]["id"]
        await _calling(self.client.chat_postMessage(channel=channel_id, text=text))

    async def _post(self, channel: ChannelKey, message: SlackMessage, posts: Sequence[Post]) -> str:
        answer = await _calling(
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

    async def _update(
        self, channel: ChannelKey, message_id: str, message: SlackMessage, posts: Sequence[Post]
    ) -> None:
        await _calling(
            self.client.chat_update(
                channel=channel.channel_id,
                ts=message_id,
                text=message.text,
                blocks=message.blocks,
                metadata=metadata(posts),
            )
        )


def _delivered_ids(message: dict[str, Any]) -> set[str]:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return set()
    return set(str((meta.get("event_payload") or {}).get("post_ids", "")).split())


async def _calling(call: Any) -> dict[str, Any]:
    """Await a Web API call; turn its failure into the delivery engine's terms."""
    try:
        response = await call
    except SlackApiError as error:
        raise _translated(error) from error
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise UncertainOutcomeError(str(error) or type(error).__name__) from error
    data: dict[str, Any] = response.data if isinstance(response.data, dict) else {}
    return data


def _translated(error: SlackApiError) -> PublishError:
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429:
        return RateLimitedError(code, retry_after(error))
    if status >= 500:
        return UncertainOutcomeError(code)
    if code in CHANNEL_GONE:
        return ChannelUnavailableError(code)
    if code in MESSAGE_GONE:
        return MessageGoneError(code)
    return PublishError(code)


def retry_after(error: SlackApiError) -> float:
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

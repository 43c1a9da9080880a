"""Sending a digest to Slack: the parent message, then each TL;DR card as a reply in its thread,
about a second apart (Slack's pace for one channel)."""

import asyncio

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.digests import DigestChannelError
from bot.news.subscription_answers import DigestDelivery
from bot.slack.blocks import SlackMessage, render

# Slack's answers that mean the channel needs a person before anything can be posted there.
CHANNEL_UNAVAILABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
PACE_SECONDS = 1.0


class SlackDigestSender:
    """``bot.news.digests.DigestSender`` on the Web API. The client should carry slack_sdk's
    rate-limit retry handler, so a 429 waits ``Retry-After`` and the message is sent."""

    def __init__(self, client: AsyncWebClient, pace_seconds: float = PACE_SECONDS) -> None:
        self._client = client
        self._pace = pace_seconds

    async def send_digest(self, delivery: DigestDelivery) -> None:
        try:
            parent_ts = await self._post(delivery.channel_id, render(delivery.parent))
            for card in delivery.replies:
                await asyncio.sleep(self._pace)
                await self._post(delivery.channel_id, render(card), thread_ts=parent_ts)
        except SlackApiError as error:
            reason = str(error.response.get("error", ""))
            if reason in CHANNEL_UNAVAILABLE:
                raise DigestChannelError(reason) from error
            raise

    async def _post(self, channel: str, message: SlackMessage, thread_ts: str | None = None) -> str:
        response = await self._client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            **message.payload(),
        )
        return str(response["ts"])

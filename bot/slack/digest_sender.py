"""Sending a digest to Slack: the parent message, then each TL;DR card as a reply in its thread,
about a second apart (Slack's pace for one channel)."""

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.digests import DigestChannelError, DigestSendError
from bot.news.subscription_answers import DigestDelivery
from bot.slack.blocks import SlackMessage, render
from bot.slack.publisher import CHANNEL_GONE, SlackPublisher, retry_after

log = logging.getLogger(__name__)

PACE_SECONDS = 1.0
# A 429 posts nothing, so the message is tried again after Retry-After; this many times in all
# (beyond the client's own retries) before the digest is given up.
RATE_LIMITED_ATTEMPTS = 10


class SlackDigestSender:
    """``bot.news.digests.DigestSender`` on the Web API."""

    def __init__(self, client: AsyncWebClient, pace_seconds: float = PACE_SECONDS) -> None:
        self._client = client
        self._pace = pace_seconds
        self._publisher = SlackPublisher(client)

    async def send_digest(self, delivery: DigestDelivery) -> None:
        try:
            parent_ts = await self._post(delivery.channel_id, render(delivery.parent))
            for card in delivery.replies:
                await asyncio.sleep(self._pace)
                await self._post(delivery.channel_id, render(card), thread_ts=parent_ts)
        except SlackApiError as error:
            reason = str(error.response.get("error") or f"http_{error.response.status_code}")
            if reason in CHANNEL_GONE:
                raise DigestChannelError(reason) from error
            raise DigestSendError(reason) from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise DigestSendError(str(error) or type(error).__name__) from error

    async def tell_user(self, team_id: str, user_id: str, text: str) -> None:
        await self._publisher.tell_user(team_id, user_id, text)

    async def _post(self, channel: str, message: SlackMessage, thread_ts: str | None = None) -> str:
        attempts = 1
        while True:
            try:
                return await self._call(channel, message, thread_ts)
            except SlackApiError as error:
                if error.response.status_code != 429 or attempts >= RATE_LIMITED_ATTEMPTS:
                    raise
                wait = retry_after(error)
            log.info("digest for %s rate limited; trying again in %.0f s", channel, wait)
            await asyncio.sleep(wait)
            attempts += 1

    async def _call(self, channel: str, message: SlackMessage, thread_ts: str | None) -> str:
        response = await self._client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            **message.payload(),
        )
        return str(response["ts"])

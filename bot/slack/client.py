"""The one way newsbot makes a Slack Web API client: ``SLACK_API_URL``, the bot token, and retries.

bolt copies this client's base URL and retry handlers into the client every listener gets, and
Socket Mode opens its connections through it, so every Web API call the bot makes goes through here.
"""

import time
from typing import Any, Protocol

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

# Slack limits each method per workspace; a burst may hit 429 more than once before it clears.
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
TIMEOUT_SECONDS = 30


class RateLimitObserver(Protocol):
    """Told of the 429s a client meets, for the operator's metrics."""

    def refused(self) -> None:
        """Slack answered 429."""

    def waited(self, seconds: float) -> None:
        """The client waited out ``Retry-After`` before trying again."""


class ReportedRateLimits(AsyncRateLimitErrorRetryHandler):
    """Slack's rate-limit retry handler, telling its observer (once one is set) of every 429 it
    sees and of every wait it makes."""

    def __init__(self, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.observer: RateLimitObserver | None = None

    async def can_retry_async(self, **kwargs: Any) -> bool:
        response = kwargs.get("response")
        if self.observer is not None and response is not None and response.status_code == 429:
            self.observer.refused()
        return await super().can_retry_async(**kwargs)

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        started = time.monotonic()
        await super().prepare_for_next_attempt_async(**kwargs)
        if self.observer is not None:
            self.observer.waited(time.monotonic() - started)


def retry_handlers() -> list[AsyncRetryHandler]:
    """Wait out 429s for ``Retry-After`` seconds; retry 500/503 and dropped connections with
    backoff."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
        ReportedRateLimits(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def observe_rate_limits(client: AsyncWebClient, observer: RateLimitObserver) -> None:
    """Tell ``observer`` of the 429s ``client`` meets, and every client made from its handlers
    (bolt's per-request clients, the delivery client)."""
    for handler in client.retry_handlers:
        if isinstance(handler, ReportedRateLimits):
            handler.observer = observer


def web_client(
    token: str | None, base_url: str, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """A client for ``base_url`` (``SLACK_API_URL``) with ``token``, a timeout and the retries.
    Given a ``session``, every call goes through its pool of kept-alive connections (the
    clients bolt copies for its listeners share it too); without one, slack_sdk opens a new
    connection for each call, which costs a fan-out to many channels about a fifth of its
    time."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
        session=session,
    )

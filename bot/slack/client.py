"""The one way newsbot makes a Slack Web API client: ``SLACK_API_URL``, the bot token, and retries.

bolt copies this client's base URL and retry handlers into the client every listener gets, and
Socket Mode opens its connections through it, so every Web API call the bot makes goes through here.
"""

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


def retry_handlers() -> list[AsyncRetryHandler]:
    """Wait out 429s for ``Retry-After`` seconds; retry 500/503 and dropped connections with
    backoff."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


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

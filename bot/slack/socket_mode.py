"""Socket Mode's connection: where to open the websocket is asked of Slack
(``apps.connections.open``) at start, and again each time the connection is renewed.

slack_sdk asks again on its own when it reconnects and, when the answer carries no URL, tries to
connect to nothing every few seconds with a traceback each time, forever. Here a renewal that
gets no URL waits, twice as long after each failure up to a minute, and says why in one line.
"""

import asyncio
import logging
from functools import partial

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.publisher import PublishError
from bot.slack.publisher import calling

log = logging.getLogger(__name__)

FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 60.0


class NoSocketUrlError(Exception):
    """``apps.connections.open`` answered, but without a websocket URL."""


async def socket_url(client: AsyncWebClient, app_token: str) -> str:
    """The websocket URL Slack hands out; PublishError when Slack refuses (a bad app token),
    NoSocketUrlError when its answer has no ``ws(s)://`` URL."""
    opened = await calling(client.apps_connections_open(app_token=app_token))
    url = opened.get("url")
    if not isinstance(url, str) or not url.startswith(("wss://", "ws://")):
        raise NoSocketUrlError(f"apps.connections.open answered without a websocket URL: {url!r}")
    return url


async def patient_socket_url(client: AsyncWebClient, app_token: str) -> str:
    """``socket_url``, asked until Slack gives one, waiting longer after each failure."""
    wait = FIRST_WAIT_SECONDS
    while True:
        try:
            return await socket_url(client, app_token)
        except (PublishError, NoSocketUrlError) as error:
            log.warning("Socket Mode cannot reconnect (%s); asking again in %g s", error, wait)
        await asyncio.sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT_SECONDS)


async def connect(app: AsyncApp, client: AsyncWebClient, app_token: str) -> AsyncSocketModeHandler:
    """A handler connected to Slack; raises as ``socket_url`` does when there is no first URL.
    Call it inside the running event loop: the handler's client starts tasks when it is made."""
    url = await socket_url(client, app_token)
    handler = AsyncSocketModeHandler(app, app_token, web_client=client)
    handler.client.wss_uri = url
    handler.client.issue_new_wss_url = partial(  # type: ignore[method-assign]
        patient_socket_url, client, app_token
    )
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler

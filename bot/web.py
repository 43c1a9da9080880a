"""The aiohttp application ``newsbot serve`` runs: Slack's requests, the health check, and the
place where other parts of newsbot plug in their routes and background tasks.

A plugin is a function that receives the application before it starts. It finds settings, store
and Web API client in ``app[RUNTIME]``, adds routes with ``app.router`` (``POST /ingest``) and
background tasks with ``app.cleanup_ctx`` (started before the first request, stopped on
shutdown). Plugins run in both connection modes; Socket Mode simply has no ``/slack/events``.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.delivering import delivery_plugin
from bot.digesting import digest_plugin
from bot.store.database import Store
from bot.store.posts import count_posts

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Runtime:
    """What a running newsbot holds, made once at start-up."""

    settings: Settings
    store: Store
    client: AsyncWebClient
    slack: AsyncApp


RUNTIME = web.AppKey("runtime", Runtime)
Plugin = Callable[[web.Application], None]

# Add a part of newsbot that needs routes or background tasks here (one import, one entry).
PLUGINS: tuple[Plugin, ...] = (digest_plugin(), delivery_plugin)


def build_web_app(
    runtime: Runtime, *, slack_events: bool = True, plugins: Sequence[Plugin] = PLUGINS
) -> web.Application:
    """``slack_events``: serve Slack's HTTP requests (HTTP mode); off in Socket Mode."""
    app = web.Application()
    app[RUNTIME] = runtime
    if slack_events:
        app.router.add_post(EVENTS_PATH, _slack_events)
    app.router.add_get(HEALTH_PATH, _health)
    for plugin in plugins:
        plugin(app)
    return app


async def _slack_events(request: web.Request) -> web.Response:
    """Commands, events and interactivity; bolt checks the signature and timestamp first."""
    bolt_request = await to_bolt_request(request)
    bolt_response = await request.app[RUNTIME].slack.async_dispatch(bolt_request)
    return await to_aiohttp_response(bolt_response)


async def _health(request: web.Request) -> web.Response:
    """200 with the post count while the database answers; 503 when it does not."""
    store = request.app[RUNTIME].store
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS), store.sessions() as session:
            posts = await count_posts(session)
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        log.warning("health check: the database did not answer: %s", error)
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "reachable", "posts": posts})

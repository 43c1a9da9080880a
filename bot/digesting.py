"""Digests inside ``newsbot serve``: a background task that sends every digest when it falls due.

Each replica runs it; a digest is claimed in the database before it is sent, so only one replica
sends it (see ``bot.news.digests``).
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.news.digests import run_due_digests
from bot.slack.digest_sender import SlackDigestSender

log = logging.getLogger(__name__)

POLL_SECONDS = 30.0


def digest_plugin(poll_seconds: float = POLL_SECONDS) -> Callable[[web.Application], None]:
    """A web plugin that checks for due digests every ``poll_seconds``."""

    def plugin(app: web.Application) -> None:
        app.cleanup_ctx.append(lambda app: _background(app, poll_seconds))

    return plugin


async def _background(app: web.Application, poll_seconds: float) -> AsyncIterator[None]:
    task = asyncio.create_task(_send_due_digests(app, poll_seconds), name="digests")
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _send_due_digests(app: web.Application, poll_seconds: float) -> None:
    from bot.web import RUNTIME  # bot.web lists this plugin, so it is imported by now

    runtime = app[RUNTIME]
    sender = SlackDigestSender(runtime.client)
    while True:
        try:
            sent = await run_due_digests(runtime.store, sender)
        except (SQLAlchemyError, OSError, SlackApiError, aiohttp.ClientError) as error:
            # The database or Slack is away for a moment; the loop goes on, and digests not yet
            # claimed go out next round.
            log.warning("digests stopped this round: %s", error)
        else:
            if sent:
                log.info("sent %d digest(s)", sent)
        await asyncio.sleep(poll_seconds)

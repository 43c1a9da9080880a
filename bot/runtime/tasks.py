"""The background tasks inside ``newsbot serve``: the delivery engine, the posts-directory
watcher and digests. Each is a plugin of the web application (``bot.runtime.web``): it joins
the server before the first request and stops on shutdown, in both connection modes.

At start the watcher first catches up: it reads every new or changed file while the server
already answers, with its progress in the log and in ``/healthz``.

Posts reach subscribed channels from three places. A file dropped into ``NEWSBOT_POSTS_DIR`` is
picked up by the watcher within about two seconds. A post sent to ``POST /ingest`` is written
into that directory and ingested at once. ``newsbot ingest`` run by hand (another process) is
noticed by the engine's planner, which looks for unplanned posts every couple of seconds; with
no ``serve`` running they are delivered when it next starts.

Sources (git repositories, feeds) are fetched every ``NEWSBOT_SOURCE_INTERVAL`` seconds, each by
one replica at a time (see ``bot.news.sources.runner``); what they bring wakes the engine.

Digests: each replica runs the loop; a digest is claimed in the database before it is sent, so
only one replica sends it (see ``bot.news.delivery.digests``).
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from aiohttp import web

from bot.news.delivery.digests import run_due_digests
from bot.news.ingest.watch import watch_posts
from bot.news.publisher import PublishError
from bot.runtime.source_commands import source_runner
from bot.runtime.startup import catch_up
from bot.runtime.state import RUNTIME, SERVICES
from bot.slack.operator import OperatorNotice
from bot.store import DatabaseError

log = logging.getLogger(__name__)

Plugin = Callable[[web.Application], None]
DIGEST_POLL_SECONDS = 30.0


def background(name: str, work: Callable[[web.Application], Coroutine[Any, Any, None]]) -> Plugin:
    """A plugin that runs ``work(app)`` as a task while the application runs."""

    async def running(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(work(app), name=name)
        yield
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    def plugin(app: web.Application) -> None:
        app.cleanup_ctx.append(running)

    return plugin


async def _deliver(app: web.Application) -> None:
    await app[SERVICES].deliverer.run()


async def _watch(app: web.Application) -> None:
    """Catch up with the posts directory (``serve`` already answers meanwhile), then watch it."""
    runtime, services = app[RUNTIME], app[SERVICES]
    try:
        if await catch_up(
            runtime.store, runtime.settings.posts_dir, services.ingest_gate, services.catch_up
        ):
            services.deliverer.wake()
    except (DatabaseError, OSError) as error:
        # The watcher's rounds read whatever this left unread once the database is back.
        log.warning("catching up with the posts directory stopped: %s", error)
    await watch_posts(
        runtime.store, runtime.settings.posts_dir, services.deliverer.wake, services.ingest_gate
    )


def digest_plugin(poll_seconds: float = DIGEST_POLL_SECONDS) -> Plugin:
    """Sends every digest when it falls due, looking every ``poll_seconds``."""

    async def send_due_digests(app: web.Application) -> None:
        runtime = app[RUNTIME]
        publisher = runtime.publisher
        while True:
            try:
                sent = await run_due_digests(runtime.store, publisher)
            except (DatabaseError, OSError, PublishError) as error:
                # The database or Slack is away for a moment; the loop goes on, and digests not
                # yet claimed go out next round.
                log.warning("digests stopped this round: %s", error)
                runtime.metrics.digest_run("failed")
            else:
                if sent:
                    log.info("sent %d digest(s)", sent)
                runtime.metrics.digest_run("sent" if sent else "nothing_due")
            await asyncio.sleep(poll_seconds)

    return background("digests", send_due_digests)


async def _fetch_sources(app: web.Application) -> None:
    runtime, services = app[RUNTIME], app[SERVICES]
    runner = source_runner(runtime.store, services.ingest_gate, runtime.settings)
    runner.on_change = services.deliverer.wake
    runner.on_failing = OperatorNotice(runtime.client)
    await runner.run()


def watcher_plugin(app: web.Application) -> None:
    """The posts-directory watcher, which catches up first: ``/healthz`` says so from the
    first request on, before the task has had its first turn."""
    app[SERVICES].catch_up.running = True
    background("posts-watcher", _watch)(app)


delivery_plugin = background("delivery", _deliver)
sources_plugin = background("sources", _fetch_sources)
# Add a part of newsbot that needs background work here (one entry).
PLUGINS: tuple[Plugin, ...] = (digest_plugin(), delivery_plugin, watcher_plugin, sources_plugin)

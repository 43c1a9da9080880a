"""Channel auto-posts inside ``newsbot serve``: the delivery engine, the posts-directory watcher
and ``POST /ingest``, plugged into the web application (see ``bot.web.PLUGINS``).

Posts reach subscribed channels from three places. A file dropped into ``NEWSBOT_POSTS_DIR`` is
picked up by the watcher within about two seconds. A post sent to ``POST /ingest`` is written
into that directory and ingested at once. ``newsbot ingest`` run by hand (another process) is
noticed by the engine's planner, which looks for unplanned posts every couple of seconds; with
no ``serve`` running they are delivered when it next starts.
"""

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from bot import messages
from bot.config import Settings
from bot.news.delivery import Deliverer
from bot.news.ingest_gate import IngestGate
from bot.news.uploads import UploadRejectedError, accept_upload
from bot.news.watcher import watch_posts
from bot.slack.publisher import SlackPublisher
from bot.store import Store

log = logging.getLogger(__name__)

INGEST_PATH = "/ingest"


@dataclass(frozen=True)
class Delivery:
    settings: Settings
    store: Store
    deliverer: Deliverer
    ingest_gate: IngestGate


DELIVERY = web.AppKey("delivery", Delivery)


def delivery_plugin(app: web.Application) -> None:
    # bot.web lists this plugin, so it has been imported by the time the plugin runs.
    from bot.web import RUNTIME

    runtime = app[RUNTIME]
    deliverer = Deliverer(runtime.store, SlackPublisher(runtime.client))
    app[DELIVERY] = Delivery(runtime.settings, runtime.store, deliverer, IngestGate(runtime.store))
    app.router.add_post(INGEST_PATH, ingest_post)
    app.cleanup_ctx.append(_background)


async def _background(app: web.Application) -> AsyncIterator[None]:
    delivery = app[DELIVERY]
    tasks = [
        asyncio.create_task(delivery.deliverer.run(), name="delivery"),
        asyncio.create_task(
            watch_posts(
                delivery.store,
                delivery.settings.posts_dir,
                delivery.deliverer.wake,
                delivery.ingest_gate,
            ),
            name="posts-watcher",
        ),
    ]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def ingest_post(request: web.Request) -> web.Response:
    """``POST /ingest``: the body is one post (markdown with front matter); ``?name=`` may give
    its file name. 201 for a new post, 200 for an updated or unchanged one, each with the id."""
    delivery = request.app[DELIVERY]
    refusal = _refusal(request, delivery.settings)
    if refusal is not None:
        return refusal
    data = await request.read()  # aiohttp answers 413 above client_max_size, the post limit
    if not data:
        return _problem(400, messages.UPLOAD_EMPTY)
    try:
        uploaded = await accept_upload(
            delivery.store,
            delivery.settings.posts_dir,
            data,
            request.query.get("name"),
            delivery.ingest_gate,
        )
    except UploadRejectedError as error:
        return _problem(400, error.reason)
    delivery.deliverer.wake()
    log.info("POST /ingest: %s post %s", uploaded.status, uploaded.post_id)
    status = 201 if uploaded.status == "new" else 200
    body = {"ok": True, "post_id": uploaded.post_id, "status": uploaded.status}
    return web.json_response(body, status=status)


def _refusal(request: web.Request, settings: Settings) -> web.Response | None:
    """401 unless the request carries the ingest token (compared in constant time)."""
    token = settings.ingest_token.get_secret_value().strip() if settings.ingest_token else ""
    if not token:
        return _problem(401, messages.UPLOAD_DISABLED)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        return _problem(401, messages.UPLOAD_UNAUTHORIZED)
    return None


def _problem(status: int, reason: str) -> web.Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return web.json_response({"ok": False, "error": reason}, status=status, headers=headers)

"""The aiohttp application ``newsbot serve`` runs, with every route: Slack's requests
(``POST /slack/events``), the health check (``GET /healthz``), ``POST /ingest`` and
``DELETE /ingest``, with ``NEWSBOT_METRICS=1`` ``GET /metrics`` (``bot.runtime.observe``),
and in multi-workspace mode the install flow (``GET /slack/install``,
``GET /slack/oauth_redirect``).

Background work joins as plugins (``bot.runtime.tasks``): a plugin receives the application
before it starts, finds what it needs in ``app[RUNTIME]`` and ``app[SERVICES]``, and adds tasks
with ``app.cleanup_ctx`` (started before the first request, stopped on shutdown). Socket Mode
serves everything but ``/slack/events``.
"""

import asyncio
import hmac
import logging
import time
from collections.abc import Sequence

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.request.async_request import AsyncBoltRequest

from bot import messages
from bot.news.ingest.upload import UploadRejectedError, accept_upload, remove_upload
from bot.runtime.observe import METRICS_PATH, metrics_route, observe_http
from bot.runtime.settings import Settings
from bot.runtime.state import RUNTIME, SERVICES, Runtime, Services
from bot.runtime.tasks import PLUGINS, Plugin
from bot.slack.incoming import Refusal, readable_payload
from bot.slack.observe import outcome, request_kind
from bot.store import DatabaseError
from bot.store.posts import count_posts

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
INGEST_PATH = "/ingest"
HEALTH_TIMEOUT_SECONDS = 5


def build_web_app(
    runtime: Runtime, *, slack_events: bool = True, plugins: Sequence[Plugin] = PLUGINS
) -> web.Application:
    """``slack_events``: serve Slack's HTTP requests (HTTP mode); off in Socket Mode."""
    app = web.Application(middlewares=[observe_http])
    app[RUNTIME] = runtime
    app[SERVICES] = Services.of(runtime)
    if slack_events:
        app.router.add_post(EVENTS_PATH, _slack_events)
    flow = runtime.slack.oauth_flow
    if runtime.multi is not None and flow is not None:
        app.router.add_get(flow.install_path, _install_page)
        app.router.add_get(flow.redirect_uri_path, _install_redirect)
    app.router.add_get(HEALTH_PATH, _health)
    app.router.add_post(INGEST_PATH, _ingest_post)
    app.router.add_delete(INGEST_PATH, _ingest_delete)
    if runtime.settings.metrics:
        app.router.add_get(METRICS_PATH, metrics_route)
    for plugin in plugins:
        plugin(app)
    return app


async def _slack_events(request: web.Request) -> web.Response:
    """Commands, events and interactivity. The signature, the encoding and the payload's shape
    are checked before bolt sees the request (``bot.slack.incoming``): a refusal is a 4xx and
    one line in the log, without the body. A command whose answer is remembered is answered
    without bolt's dispatch (``bot.slack.shortcut``)."""
    started, body = time.perf_counter(), await request.read()
    payload = request.app[SERVICES].incoming.payload(body, request.headers)
    if isinstance(payload, Refusal):
        return _refused(request, body, payload, started)
    slack = request.app[RUNTIME].slack
    bolt_response = await slack.answer_early(payload)
    if bolt_response is None:
        bolt_request = AsyncBoltRequest(
            body=body.decode(),
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]
        )
        bolt_response = await slack.async_dispatch(bolt_request)
    return await to_aiohttp_response(bolt_response)


def _refused(request: web.Request, body: bytes, refusal: Refusal, started: float) -> web.Response:
    """One line in the log (the reason, never the body), the request counted as bolt counts
    those it answers, and the refusal's status."""
    peer = request.remote or "unknown"
    log.warning(messages.LOG_REFUSED_REQUEST.format(peer=peer, reason=refusal.reason))
    kind = request_kind(readable_payload(body, request.headers.get("Content-Type")))
    seconds = time.perf_counter() - started
    request.app[RUNTIME].metrics.request(kind, outcome(refusal.status), seconds)
    shown = "invalid request" if refusal.status == 401 else refusal.reason
    return web.json_response({"error": shown}, status=refusal.status)


async def _install_page(request: web.Request) -> web.Response:
    """The "Add to Slack" page, with a fresh state (stored, and set as a cookie)."""
    flow = request.app[RUNTIME].slack.oauth_flow
    assert flow is not None  # the route exists only with the flow
    return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))


async def _install_redirect(request: web.Request) -> web.Response:
    """Where Slack sends the installer back: the state is checked, the code exchanged through
    ``oauth.v2.access``, the installation stored, and a page says how it went."""
    flow = request.app[RUNTIME].slack.oauth_flow
    assert flow is not None
    return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))


async def _health(request: web.Request) -> web.Response:
    """200 with the post count while the database answers (``catching_up``, with the files
    read so far, while the posts directory is still being read at start); 503 when it does
    not answer, or once any query has found the database file damaged."""
    store, catching_up = request.app[RUNTIME].store, request.app[SERVICES].catch_up
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS), store.sessions() as session:
            posts = await count_posts(session)
    except (DatabaseError, OSError, TimeoutError) as error:
        log.warning("health check: the database did not answer: %s", error)
        if store.damage.error is None:
            return _unavailable("unreachable")
    if store.damage.error is not None:
        return _unavailable("damaged")
    if not catching_up.running:
        return web.json_response({"status": "ok", "database": "reachable", "posts": posts})
    progress = {"read": catching_up.read, "to_read": catching_up.to_read}
    body = {"status": "catching_up", "database": "reachable", "posts": posts, "catch_up": progress}
    return web.json_response(body)


def _unavailable(database: str) -> web.Response:
    return web.json_response({"status": "unavailable", "database": database}, status=503)


async def _ingest_post(request: web.Request) -> web.Response:
    """``POST /ingest``: the body is one post (markdown with front matter); ``?name=`` may give
    its file name. 201 for a new post, 200 for an updated or unchanged one, each with the id."""
    runtime, services = request.app[RUNTIME], request.app[SERVICES]
    refusal = _refusal(request, runtime.settings)
    if refusal is not None:
        return refusal
    data = await request.read()  # aiohttp answers 413 above client_max_size, the post limit
    if not data:
        return _problem(400, messages.UPLOAD_EMPTY)
    try:
        uploaded = await accept_upload(
            runtime.store,
            runtime.settings.posts_dir,
            data,
            request.query.get("name"),
            services.ingest_gate,
        )
    except UploadRejectedError as error:
        return _problem(400, error.reason)
    services.deliverer.wake()
    log.info(
        "POST /ingest: %s post %s",
        uploaded.status,
        uploaded.post_id,
        extra={"post_id": uploaded.post_id},
    )
    status = 201 if uploaded.status == "new" else 200
    body = {"ok": True, "post_id": uploaded.post_id, "status": uploaded.status}
    return web.json_response(body, status=status)


async def _ingest_delete(request: web.Request) -> web.Response:
    """``DELETE /ingest?name=FILE.md``: the file leaves the posts directory and its post the
    store and search (messages already in Slack stay). 200 with how many posts were removed."""
    runtime, services = request.app[RUNTIME], request.app[SERVICES]
    refusal = _refusal(request, runtime.settings)
    if refusal is not None:
        return refusal
    name = request.query.get("name")
    try:
        removed = await remove_upload(
            runtime.store, runtime.settings.posts_dir, name, services.ingest_gate
        )
    except UploadRejectedError as error:
        status = 404 if error.reason == messages.DELETE_NO_FILE.format(name=name) else 400
        return _problem(status, error.reason)
    log.info("DELETE /ingest: %s removed (%d post)", name, removed)
    return web.json_response({"ok": True, "name": name, "removed": removed})


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

"""What ``serve``'s HTTP side shows an operator: each request's id on its log lines, HTTP
requests counted by route and status, and ``GET /metrics`` when ``NEWSBOT_METRICS=1``. (A
refused Slack request is logged by its route, ``bot.runtime.web``, with the reason.)"""

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.runtime.metrics import CONTENT_TYPE_LATEST
from bot.runtime.state import RUNTIME
from bot.slack.observe import LOG_CONTEXT, new_request_id

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
SLACK_PATH = "/slack/events"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def observe_http(request: web.Request, handler: Handler) -> web.StreamResponse:
    token = LOG_CONTEXT.set({"request_id": new_request_id()})
    try:
        response = await handler(request)
        _count(request, response.status)
        return response
    except web.HTTPException as error:
        _count(request, error.status)
        raise
    except Exception:
        _count(request, 500)
        raise
    finally:
        LOG_CONTEXT.reset(token)


def _count(request: web.Request, status: int) -> None:
    # The route's pattern, not the path: a stranger's made-up paths must not make new series.
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    request.app[RUNTIME].metrics.http_request(name, status)


async def metrics_route(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    body = await runtime.metrics.render(runtime.store)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

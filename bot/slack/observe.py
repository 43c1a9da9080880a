"""What the runtime may watch of Slack's requests without the Slack layer knowing how it is
shown: each request's kind, outcome and time to acknowledge (told to a ``RequestReport``), and
the ids its log lines carry (``LOG_CONTEXT``, read by the runtime's log formatter)."""

import logging
import random
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import (
    is_action,
    is_event,
    is_options,
    is_shortcut,
    is_slash_command,
    is_view,
)
from slack_bolt.response import BoltResponse

# The ids of what is being answered (``request_id``, ``team``, ``channel``), for log lines.
log = logging.getLogger(__name__)

# Read with ``LOG_CONTEXT.get({})``; each request sets its own and resets it when answered.
LOG_CONTEXT: ContextVar[dict[str, str]] = ContextVar("newsbot_log_context")

KINDS: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("command", is_slash_command),
    ("event", is_event),
    ("action", is_action),
    ("view", is_view),
    ("options", is_options),
    ("shortcut", is_shortcut),
)


class RequestReport(Protocol):
    def __call__(self, kind: str, outcome: str, seconds: float) -> None:
        """One request answered: its kind (``command``, ``event``…), its outcome (``ok``,
        ``refused`` for a bad signature, ``unhandled``, ``error``) and the seconds until it was
        acknowledged."""


def request_kind(body: Any) -> str:
    if not isinstance(body, dict):
        return "other"
    return next((kind for kind, matches in KINDS if matches(body)), "other")


def outcome(status: int) -> str:
    if status < 400:
        return "ok"
    return {401: "refused", 404: "unhandled"}.get(status, "error")


def new_request_id() -> str:
    """16 hex digits that tell one request's log lines from another's. Not a secret, so from
    ``random``: ``uuid4`` asks the kernel for random bytes, a system call on every request."""
    return f"{random.getrandbits(64):016x}"


class Shortcut(Protocol):
    async def __call__(self, payload: Mapping[str, Any]) -> BoltResponse | None:
        """The answer bolt would give to this checked payload, when it can be had without
        bolt's dispatch; else None."""


class ObservedApp(AsyncApp):
    """bolt's app, answering each request with its log ids set (``LOG_CONTEXT``) and telling
    ``report`` of it. Both HTTP mode and Socket Mode dispatch through ``async_dispatch``, and
    its answer is the acknowledgement (listeners reply later, on their own). HTTP mode asks
    ``answer_early`` first, which answers what ``early`` can without the dispatch."""

    report: RequestReport | None = None
    early: Shortcut | None = None

    async def answer_early(self, payload: Mapping[str, Any]) -> BoltResponse | None:
        """The shortcut's answer to a checked payload, reported as the dispatch reports."""
        if self.early is None:
            return None
        started = time.perf_counter()
        response = await self.early(payload)
        if response is not None and self.report is not None:
            seconds = time.perf_counter() - started
            self.report(request_kind(payload), outcome(response.status), seconds)
        return response

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        started, kind = time.perf_counter(), request_kind(req.body)
        ids = {
            "request_id": LOG_CONTEXT.get({}).get("request_id") or new_request_id(),
            "team": req.context.team_id or "",
            "channel": req.context.channel_id or "",
        }
        token = LOG_CONTEXT.set({name: value for name, value in ids.items() if value})
        try:
            response = await super().async_dispatch(req)
            log.debug("acknowledged a %s request with HTTP %d", kind, response.status)
        finally:
            LOG_CONTEXT.reset(token)  # Socket Mode may answer the next request in this task
        if self.report is not None:
            seconds = time.perf_counter() - started
            self.report(kind, outcome(response.status), seconds)
        return response

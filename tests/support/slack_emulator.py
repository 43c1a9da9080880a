"""A Slack Web API emulator: a real aiohttp server on a free loopback port.

It answers the Web API methods newsbot uses the way Slack does (``{"ok": true, ...}`` with
plausible ``ts``/``channel`` fields, ``{"ok": false, "error": ...}`` otherwise), records every call
with the moments it arrived and was answered, can be told to misbehave (``tests/support/
slack_faults.py``: failures, 429s with ``Retry-After``, slow answers, errors for one channel),
serves response URLs, and serves Socket Mode (``apps.connections.open`` and its websocket; see
``tests/support/slack_socket.py``).
"""

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.support.recorder import Recorder
from tests.support.slack_answers import (
    ANSWERS,
    APP_ID,
    BOT_ID,
    BOT_SCOPES,
    BOT_USER_ID,
    TEAM_ID,
    TEAM_NAME,
    user_record,
)
from tests.support.slack_faults import Faults
from tests.support.slack_faults import error as _error
from tests.support.slack_oauth import OAuthServer, identity
from tests.support.slack_socket import SocketModeServer

Params = dict[str, Any]


@dataclass
class Call:
    """One request the emulator received, with what it answered, and when (``time.monotonic()``
    in the emulator's process: ``received`` as the request arrived, ``answered`` as the answer
    left, after any latency it was told to add)."""

    method: str
    params: Params
    headers: dict[str, str]
    status: int
    answer: Params
    received: float = 0.0
    answered: float = 0.0
    retry_after: float = 0.0  # the seconds a 429 asked the caller to wait

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.answer.get("ok") is True


class SlackEmulator:
    """Start with ``await start()``; point the bot at ``api_url``; assert on ``calls``."""

    def __init__(self) -> None:
        self.calls = Recorder()
        self.responses: dict[str, Recorder] = {}
        self.users: dict[str, Params] = {}
        self.messages: dict[tuple[str, str], Params] = {}  # (channel, ts) -> message
        self.scopes = BOT_SCOPES  # what auth.test says the token was granted
        self.faults = Faults()
        self._clock = itertools.count(1)
        self.socket: SocketModeServer = SocketModeServer(self)
        self.oauth = OAuthServer()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        self.socket.add_routes(app)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # What tests tell the emulator.

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        status: int = 200,
        times: int | None = None,
    ) -> None:
        """Answer ``method`` with ``{"ok": false, "error": error}`` (and HTTP ``status``), for the
        next ``times`` calls or until ``heal``."""
        self.faults.fail(method, error, status, times)

    def rate_limit(
        self, method: str, every: int = 1, retry_after: int = 1, then: tuple[int, ...] = ()
    ) -> None:
        """Answer every ``every``-th call of ``method`` with HTTP 429 and ``Retry-After``
        (``then``: the values successive 429s give, the last one repeating)."""
        self.faults.rate_limit(method, every, retry_after, then)

    def rate_limit_window(
        self, method: str, seconds: float, retry_after: int | None = None
    ) -> None:
        """Answer every call of ``method`` in the next ``seconds`` with HTTP 429, as Slack does
        while a method's limit is used up: ``Retry-After`` is ``retry_after``, or by default
        the whole seconds left in the window."""
        self.faults.rate_limit_window(method, seconds, retry_after)

    def slow_down(self, method: str, seconds: float) -> None:
        """Answer ``method`` ``seconds`` late (what it does is done at once, as in Slack: a
        message is posted before the answer reaches the caller)."""
        self.faults.latency[method] = seconds

    def fail_channel(self, channel_id: str, error: str) -> None:
        """Answer every post, update or history read in ``channel_id`` with ``error``."""
        self.faults.channel_errors[channel_id] = error

    def heal(self, method: str) -> None:
        """Undo ``fail``, ``rate_limit``, ``rate_limit_window`` and ``slow_down`` for ``method``."""
        self.faults.heal(method)

    def add_user(self, user_id: str, name: str, **fields: Any) -> None:
        self.users[user_id] = user_record(user_id, name) | fields

    def response_url(self, key: str = "default") -> str:
        """A response URL the bot may POST to; the payloads are in ``responses[key]``."""
        self.responses.setdefault(key, Recorder())
        return f"{self.url}/respond/{key}"

    # What tests read back.

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls.items if call.method == method]

    def sent(self, method: str) -> list[Params]:
        """The parameters of the successful calls to ``method``."""
        return [call.params for call in self.calls_to(method) if call.ok]

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        await self.calls.wait(lambda calls: sum(c.method == method for c in calls) >= count)
        return self.calls_to(method)

    async def wait_for_response(self, key: str = "default", count: int = 1) -> list[Params]:
        recorder = self.responses.setdefault(key, Recorder())
        return list(await recorder.wait(lambda items: len(items) >= count))

    # The server side.

    async def _api(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        method = request.match_info["method"]
        params = await _params(request)
        status, answer, headers = self._answer(
            method, params, request.headers.get("Authorization", "")
        )
        call = Call(method, params, dict(request.headers), status, answer, received, received)
        call.retry_after = float(headers.get("Retry-After", 0))
        await self.calls.add(call)
        latency = self.faults.latency.get(method)
        if latency:
            await asyncio.sleep(latency)
        call.answered = time.monotonic()
        return web.json_response(answer, status=status, headers=headers)

    def _answer(
        self, method: str, params: Params, authorization: str
    ) -> tuple[int, Params, dict[str, str]]:
        refusal = self.faults.refusal(method, params)
        return refusal if refusal is not None else self._reply(method, params, authorization)

    def _reply(
        self, method: str, params: Params, authorization: str
    ) -> tuple[int, Params, dict[str, str]]:
        """The answer of a Slack that is told nothing."""
        if method == "oauth.v2.access":
            return 200, self.oauth.access(params, authorization), {}
        token = authorization.removeprefix("Bearer ").strip()
        token_error = _token_problem(method, authorization) or self.oauth.token_problem(token)
        if token_error:
            return 200, _error(token_error), {}
        answer = ANSWERS.get(method)
        if answer is None:
            return 404, _error("unknown_method"), {}
        if method != "auth.test":
            return 200, answer(self, params), {}
        workspace = self.oauth.workspace_of(token)
        found = identity(workspace) if workspace else answer(self, params)
        return 200, found, {"X-OAuth-Scopes": self.scopes}

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        payload = json.loads(await request.text())
        await self.responses.setdefault(key, Recorder()).add(payload)
        return web.json_response({"ok": True})

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._clock):08d}"

    def next_ts(self) -> str:
        tick = next(self._clock)
        return f"{1_790_000_000 + tick}.{tick:06d}"


async def _params(request: web.Request) -> Params:
    params: Params = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        params.update(await request.post())
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


def _token_problem(method: str, authorization: str) -> str:
    token = authorization.removeprefix("Bearer ").strip()
    if not token:
        return "not_authed"
    wanted = "xapp-" if method == "apps.connections.open" else "xoxb-"
    return "" if token.startswith(wanted) else "invalid_auth"


__all__ = ["APP_ID", "BOT_ID", "BOT_USER_ID", "TEAM_ID", "TEAM_NAME", "Call", "SlackEmulator"]

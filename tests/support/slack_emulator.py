"""A Slack Web API emulator: a real aiohttp server on a free loopback port.

It answers the Web API methods newsbot uses the way Slack does (``{"ok": true, ...}`` with
plausible ``ts``/``channel`` fields, ``{"ok": false, "error": ...}`` otherwise), records every call,
can be told to fail a method or rate-limit it, serves response URLs, and serves Socket Mode
(``apps.connections.open`` and its websocket; see ``tests/slack_socket.py``).
"""

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.support.recorder import Recorder
from tests.support.slack_oauth import OAuthServer, identity
from tests.support.slack_socket import SocketModeServer

TEAM_ID = "T0NEWS"
TEAM_NAME = "Newsroom"
BOT_USER_ID = "U0NEWSBOT"
BOT_ID = "B0NEWSBOT"
APP_ID = "A0NEWSBOT"
# What app.yaml asks for.
BOT_SCOPES = (
    "commands,chat:write,chat:write.public,app_mentions:read,im:history,im:write,users:read,"
    "channels:history,groups:history"
)
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
TEXT_MAX = 40_000

Params = dict[str, Any]
Answer = Callable[["SlackEmulator", Params], Params]


@dataclass(frozen=True)
class Call:
    """One request the emulator received, with what it answered."""

    method: str
    params: Params
    headers: dict[str, str]
    status: int
    answer: Params

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.answer.get("ok") is True


@dataclass
class _Failure:
    error: str
    status: int
    remaining: int | None  # None: until healed


@dataclass
class _RateLimit:
    every: int
    retry_after: int
    seen: int = 0
    then: tuple[int, ...] = ()  # the Retry-After of successive 429s; the last one repeats
    refused: int = 0

    def wait(self) -> int:
        self.refused += 1
        if not self.then:
            return self.retry_after
        return self.then[min(self.refused, len(self.then)) - 1]


class SlackEmulator:
    """Start with ``await start()``; point the bot at ``api_url``; assert on ``calls``."""

    def __init__(self) -> None:
        self.calls = Recorder()
        self.responses: dict[str, Recorder] = {}
        self.users: dict[str, Params] = {}
        self.messages: dict[tuple[str, str], Params] = {}  # (channel, ts) -> message
        self.scopes = BOT_SCOPES  # what auth.test says the token was granted
        self._failures: dict[str, _Failure] = {}
        self._rate_limits: dict[str, _RateLimit] = {}
        self._clock = itertools.count(1)
        self.socket = SocketModeServer(self)
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
        self._failures[method] = _Failure(error, status, times)

    def rate_limit(
        self, method: str, every: int = 1, retry_after: int = 1, then: tuple[int, ...] = ()
    ) -> None:
        """Answer every ``every``-th call of ``method`` with HTTP 429 and ``Retry-After``
        (``then``: the values successive 429s give, the last one repeating)."""
        self._rate_limits[method] = _RateLimit(every, retry_after, then=then)

    def heal(self, method: str) -> None:
        self._failures.pop(method, None)
        self._rate_limits.pop(method, None)

    def add_user(self, user_id: str, name: str, **fields: Any) -> None:
        self.users[user_id] = _user(user_id, name) | fields

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
        method = request.match_info["method"]
        params = await _params(request)
        status, answer, headers = self._answer(
            method, params, request.headers.get("Authorization", "")
        )
        await self.calls.add(Call(method, params, dict(request.headers), status, answer))
        return web.json_response(answer, status=status, headers=headers)

    def _answer(
        self, method: str, params: Params, authorization: str
    ) -> tuple[int, Params, dict[str, str]]:
        refused = self._refusal(method)
        if refused is not None:
            return refused
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

    def _refusal(self, method: str) -> tuple[int, Params, dict[str, str]] | None:
        """What a test told the emulator to answer instead: a rate limit, or a failure."""
        limit = self._rate_limits.get(method)
        if limit is not None:
            limit.seen += 1
            if limit.seen % limit.every == 0:
                return 429, _error("ratelimited"), {"Retry-After": str(limit.wait())}
        failure = self._failures.get(method)
        if failure is None:
            return None
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                del self._failures[method]
        return failure.status, _error(failure.error), {}

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


def _error(error: str) -> Params:
    return {"ok": False, "error": error}


def _user(user_id: str, name: str) -> Params:
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": name.title(),
        "is_bot": False,
        "is_admin": False,
        "is_owner": False,
        "tz": "Europe/Berlin",
        "profile": {"display_name": name, "real_name": name.title()},
    }


def _message_problem(params: Params) -> str:
    blocks = params.get("blocks") or []
    if not params.get("channel"):
        return "channel_not_found"
    if not params.get("text") and not blocks:
        return "no_text"
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        return "invalid_blocks"
    if len(str(params.get("text", ""))) > TEXT_MAX:
        return "msg_too_long"
    return ""


def _message(params: Params, ts: str) -> Params:
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "ts": ts,
        "text": params.get("text", ""),
        "blocks": params.get("blocks", []),
    }


def post_message(emulator: SlackEmulator, params: Params) -> Params:
    problem = _message_problem(params)
    if problem:
        return _error(problem)
    ts = emulator.next_ts()
    message = _message(params, ts)
    emulator.messages[(params["channel"], ts)] = message
    return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}


def post_ephemeral(emulator: SlackEmulator, params: Params) -> Params:
    if not params.get("user"):
        return _error("user_not_found")
    problem = _message_problem(params)
    return _error(problem) if problem else {"ok": True, "message_ts": emulator.next_ts()}


def update_message(emulator: SlackEmulator, params: Params) -> Params:
    problem = _message_problem(params)
    if problem:
        return _error(problem)
    key = (params["channel"], str(params.get("ts", "")))
    if key not in emulator.messages:
        return _error("message_not_found")
    message = _message(params, key[1])
    emulator.messages[key] = message
    return {
        "ok": True,
        "channel": key[0],
        "ts": key[1],
        "text": message["text"],
        "message": message,
    }


def permalink(emulator: SlackEmulator, params: Params) -> Params:
    """``chat.getPermalink``: a link for a message the emulator holds, as Slack shapes them."""
    channel = str(params.get("channel", ""))
    ts = str(params.get("message_ts", ""))
    if (channel, ts) not in emulator.messages:
        return _error("message_not_found")
    link = f"https://newsroom.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"ok": True, "channel": channel, "permalink": link}


def open_view(emulator: SlackEmulator, params: Params, kind: str) -> Params:
    view = params.get("view") or {}
    if len(view.get("blocks", [])) > VIEW_BLOCKS_MAX:
        return _error("invalid_arguments")
    view_id = emulator.next_id("V")
    return {"ok": True, "view": {"id": view_id, "team_id": TEAM_ID, "type": kind, **view}}


def auth_test(_emulator: SlackEmulator, _params: Params) -> Params:
    return {
        "ok": True,
        "url": "https://newsroom.slack.com/",
        "team": TEAM_NAME,
        "user": "newsbot",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def users_info(emulator: SlackEmulator, params: Params) -> Params:
    user_id = str(params.get("user", ""))
    if not user_id.startswith(("U", "W")):
        return _error("user_not_found")
    return {"ok": True, "user": emulator.users.get(user_id) or _user(user_id, user_id.lower())}


def users_list(emulator: SlackEmulator, params: Params) -> Params:
    """Every user the test added, one page of ``limit`` at a time."""
    members = list(emulator.users.values())
    start = int(params.get("cursor") or 0)
    end = start + int(params.get("limit") or 100)
    cursor = str(end) if end < len(members) else ""
    return {"ok": True, "members": members[start:end], "response_metadata": {"next_cursor": cursor}}


def conversations_open(_emulator: SlackEmulator, params: Params) -> Params:
    users = str(params.get("users", ""))
    if not users:
        return _error("users_list_not_supplied")
    return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}


ANSWERS: dict[str, Answer] = {
    "auth.test": auth_test,
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update_message,
    "chat.getPermalink": permalink,
    "views.publish": lambda e, p: open_view(e, p, "home"),
    "views.open": lambda e, p: (
        open_view(e, p, "modal") if p.get("trigger_id") else _error("invalid_trigger_id")
    ),
    "views.update": lambda e, p: open_view(e, p, "modal"),
    "conversations.open": conversations_open,
    "users.info": users_info,
    "users.list": users_list,
    "team.info": lambda _e, _p: {
        "ok": True,
        "team": {"id": TEAM_ID, "name": TEAM_NAME, "domain": "newsroom"},
    },
    "apps.connections.open": lambda e, _p: {"ok": True, "url": e.socket.issue_url()},
}

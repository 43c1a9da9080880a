"""What the Slack emulator answers to each Web API method newsbot uses when nothing is told to
go wrong: ``{"ok": true, ...}`` with plausible fields, or Slack's own error codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.support.slack_faults import error as _error

if TYPE_CHECKING:
    from tests.support.slack_emulator import SlackEmulator

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


def user_record(user_id: str, name: str) -> Params:
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
    return {
        "ok": True,
        "user": emulator.users.get(user_id) or user_record(user_id, user_id.lower()),
    }


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
    "apps.connections.open": lambda e, _p: e.socket.open_connection(),
}

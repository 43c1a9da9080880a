"""What strangers and broken clients send to ``POST /slack/events``: each is refused with a 4xx
and one line in the log (no traceback, never the body), over real HTTP."""

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.news.answers import SubscribeForm
from bot.slack import actions
from bot.slack.blocks.subscribe_modal import subscribe_view
from bot.store.subscriptions import any_live_subscription
from tests.support.bot_server import SIGNING_SECRET, RunningBot
from tests.support.slack_emulator import TEAM_ID
from tests.support.slack_requests import (
    USER_ID,
    block_action_payload,
    command_payload,
    event_payload,
    message_event,
)

FORM = "application/x-www-form-urlencoded"
SECRET_WORDS = "budget-secret-words"  # in every body below, and never in the log


def _problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def _assert_one_quiet_line(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    [record] = _problems(caplog)
    assert record.exc_info is None, "a refusal is one line, not a traceback"
    assert SECRET_WORDS not in record.getMessage()
    return record


async def _raw(bot: RunningBot, body: bytes, headers: dict[str, str]) -> int:
    async with bot.session.post(bot.sender.url, data=body, headers=headers) as response:
        return response.status


@pytest.mark.parametrize("timestamp", ["abc", "1.5", "", " ", "١٢٣"])
async def test_a_timestamp_that_is_not_a_number_is_refused(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00"}
    caplog.set_level(logging.WARNING)
    body = f"command=%2Fnews&text={SECRET_WORDS}".encode()
    assert await _raw(bot, body, headers | {"Content-Type": FORM}) == 401
    record = _assert_one_quiet_line(caplog)
    assert record.levelname == "WARNING" and "X-Slack-Request-Timestamp" in record.getMessage()


async def test_a_forged_signature_is_logged_at_warning_without_the_body(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps(event_payload(message_event(SECRET_WORDS)))
    reply = await bot.sender.post(body, "application/json", signature="v0=" + "0" * 64)
    assert reply.status == 401
    record = _assert_one_quiet_line(caplog)
    assert record.levelname == "WARNING" and "X-Slack-Signature" in record.getMessage()
    assert all(SECRET_WORDS not in r.getMessage() for r in caplog.records)
    caplog.clear()
    malformed = json.dumps(_event_without_event())  # unsigned, and shaped to trip bolt up
    reply = await bot.sender.post(malformed, "application/json", signature="v0=" + "0" * 64)
    assert reply.status == 401
    _assert_one_quiet_line(caplog)


async def test_a_body_that_is_not_utf8_is_refused_signed_or_not(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = b'{"type": "event_callback", "x": "\xff\xfe"}'
    unsigned = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=0"}
    assert await _raw(bot, body, unsigned | {"Content-Type": "application/json"}) == 401
    _assert_one_quiet_line(caplog)
    caplog.clear()
    moment = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{moment}:".encode() + body, hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": moment, "X-Slack-Signature": f"v0={digest.hexdigest()}"}
    assert await _raw(bot, body, headers | {"Content-Type": "application/json"}) == 400
    assert "UTF-8" in _assert_one_quiet_line(caplog).getMessage()


def _event_without_event() -> dict[str, Any]:
    payload = event_payload(message_event(SECRET_WORDS))
    payload["event"] = None
    return payload


def _click_without_actions() -> dict[str, Any]:
    click = block_action_payload("show_post", SECRET_WORDS, "https://hooks.slack.com/x")
    click["actions"] = []
    return click


# Signed, so they pass the signature check, but not shaped as Slack sends them.
MALFORMED: dict[str, tuple[str, str]] = {
    "event is null": (json.dumps(_event_without_event()), "application/json"),
    "actions is empty": (urlencode({"payload": json.dumps(_click_without_actions())}), FORM),
    "JSON null": ("null", "application/json"),
    "a JSON string": (json.dumps(SECRET_WORDS), "application/json"),
    "payload is not JSON": (f"payload=%7Bx{SECRET_WORDS}", FORM),
    "a JSON list": (json.dumps([SECRET_WORDS]), "application/json"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_signed_malformed_payload_is_a_400(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.WARNING)
    body, content_type = MALFORMED[case]
    reply = await bot.sender.post(body, content_type)
    assert reply.status == 400
    _assert_one_quiet_line(caplog)
    assert bot.slack.calls.items == []


def _submission(with_user: bool = True, private_metadata: str | None = None) -> dict[str, Any]:
    """The subscription form, submitted with Politics chosen."""
    view = subscribe_view(SubscribeForm("C0NEWS", ("Politics",)))
    if private_metadata is not None:
        view["private_metadata"] = private_metadata
    values = {"categories": {"value": {"selected_options": [{"value": "Politics"}]}}}
    user = {"id": USER_ID, "username": "alice", "team_id": TEAM_ID}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "api_app_id": "A0NEWSBOT",
        "trigger_id": "9.1.trigger",
        "view": view | {"id": "V1", "team_id": TEAM_ID, "state": {"values": values}},
    } | ({"user": user} if with_user else {})


FORMS: dict[str, dict[str, Any]] = {
    "without a user": _submission(with_user=False),
    "unreadable private_metadata": _submission(private_metadata="{" + SECRET_WORDS),
    "private_metadata without a channel": _submission(private_metadata="[1]"),
}


@pytest.mark.parametrize("case", sorted(FORMS))
async def test_a_malformed_form_submission_is_a_400_and_saves_nothing(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.WARNING)
    reply = await bot.sender.action(FORMS[case])
    assert reply.status == 400
    _assert_one_quiet_line(caplog)
    async with bot.runtime.store.sessions() as session:
        assert not await any_live_subscription(session)


async def test_the_same_form_well_formed_subscribes(bot: RunningBot) -> None:
    """The control for the cases above: only what they changed made them fail."""
    reply = await bot.sender.action(_submission())
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    async with bot.runtime.store.sessions() as session:
        assert await any_live_subscription(session)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON value: the keys and indexes that lead there."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _changed(payload: dict[str, Any], path: tuple[str | int, ...], value: Any) -> Any:
    """``payload`` with the value at ``path`` replaced by ``value`` (removed for DELETED)."""
    if not path:
        return None if value is DELETED else value
    copy = json.loads(json.dumps(payload))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETED and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = None if value is DELETED else value
    return copy


DELETED = object()
ODD_VALUES = [DELETED, None, [], {"id": 5}, 7, "x"]


def _real_payloads(response_url: str) -> dict[str, tuple[dict[str, Any], str]]:
    """One of each kind newsbot answers, as Slack sends it, and how it is posted."""
    click = block_action_payload
    home = {"type": "app_home_opened", "user": USER_ID, "tab": "home"}
    post_id = "2026-11-21-chip-plant"
    next_page = actions.Rerun("latest", 5).encode()
    return {
        "dm": (event_payload(message_event("latest")), "json"),
        "mention": (event_payload(message_event("latest", type="app_mention")), "json"),
        "home": (event_payload(home), "json"),
        "show": (click(actions.SHOW_POST, post_id, response_url), "form"),
        "next": (click(actions.NEXT_PAGE, next_page, response_url), "form"),
        "share": (click(actions.SHARE, actions.Rerun("latest", 0).encode(), response_url), "form"),
        "full": (click(actions.FULL_SUMMARY, post_id, response_url), "form"),
        "form": (_submission(), "form"),
        "command": (command_payload("latest", response_url), "json"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_no_change_to_a_real_payload_gets_a_500(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Each real payload with one value anywhere in it removed or replaced by one of another
    type, signed: never a 5xx, and never an error that escapes to aiohttp."""
    caplog.set_level(logging.ERROR)
    for name, (payload, posted_as) in _real_payloads(bot.slack.response_url()).items():
        for path in _paths(payload):
            for value in ODD_VALUES:
                changed = _changed(payload, path, value)
                if posted_as == "json":
                    reply = await bot.sender.post(json.dumps(changed), "application/json")
                else:
                    body = urlencode({"payload": json.dumps(changed)})
                    reply = await bot.sender.post(body, FORM)
                assert reply.status < 500, (name, path, value)
    assert [r for r in caplog.records if r.name == "aiohttp.server"] == []

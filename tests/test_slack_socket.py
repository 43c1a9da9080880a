"""Socket Mode as Slack drives it: envelopes pushed over the emulator's websocket, acks and Web
API calls read back."""

import logging
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.runtime.serve import socket_mode
from bot.slack import actions
from tests.support.bot_server import RunningBot, running_bot
from tests.support.slack_requests import (
    block_action_payload,
    command_payload,
    event_payload,
    message_event,
)


@pytest.fixture
async def socket_bot(bot: RunningBot) -> AsyncIterator[RunningBot]:
    """The same newsbot, connected over Socket Mode instead of answering HTTP."""

    def connect(app: web.Application) -> None:
        app.cleanup_ctx.append(socket_mode(bot.runtime))

    async with running_bot(bot.runtime, bot.slack, slack_events=False, plugins=[connect]) as s:
        yield s


async def test_a_command_is_answered_in_the_ack(socket_bot: RunningBot) -> None:
    slack = socket_bot.slack
    envelope = await slack.socket.push("slash_commands", command_payload("categories", "unused"))
    payload = await slack.socket.ack(envelope)
    assert payload is not None
    assert "Politics" in payload["text"] and "Technology" in payload["text"]
    assert slack.calls_to("chat.postMessage") == []


async def test_a_direct_message_is_answered(socket_bot: RunningBot) -> None:
    slack = socket_bot.slack
    envelope = await slack.socket.push("events_api", event_payload(message_event("latest")))
    assert await slack.socket.ack(envelope) is None  # events are acked without a payload
    [call] = await slack.wait_for("chat.postMessage")
    assert call.params["channel"] == "D0ALICE"
    assert "Chip plant opens" in call.params["text"]


async def test_a_button_answers_through_the_response_url(socket_bot: RunningBot) -> None:
    slack = socket_bot.slack
    click = block_action_payload(
        actions.FULL_SUMMARY, "2026-11-20-budget-vote", slack.response_url("full")
    )
    envelope = await slack.socket.push("interactive", click, accepts_response_payload=False)
    await slack.socket.ack(envelope)
    [card] = await slack.wait_for_response("full")
    assert card["blocks"][0]["text"]["text"] == "Council passes budget"


async def test_a_redelivered_event_is_answered_once(socket_bot: RunningBot) -> None:
    slack = socket_bot.slack
    original = event_payload(message_event("latest"))
    await slack.socket.ack(await slack.socket.push("events_api", original))
    await slack.wait_for("chat.postMessage")
    again = await slack.socket.push("events_api", original, retry_attempt=1)
    await slack.socket.ack(again)
    await slack.socket.push("events_api", event_payload(message_event("categories")))
    calls = await slack.wait_for("chat.postMessage", count=2)
    assert len(calls) == 2 and "Categories" in calls[1].params["text"]


async def test_the_bot_reconnects_when_slack_asks(socket_bot: RunningBot) -> None:
    slack = socket_bot.slack
    await slack.socket.connected()
    await slack.socket.disconnect("refresh_requested")
    envelope = await slack.socket.push("slash_commands", command_payload("latest", "unused"))
    payload = await slack.socket.ack(envelope)
    assert payload is not None and "Chip plant opens" in payload["text"]
    assert len(slack.calls_to("apps.connections.open")) >= 2  # a new URL for the new socket


async def test_a_renewal_without_a_url_backs_off_and_says_why(
    socket_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    slack = socket_bot.slack
    caplog.set_level(logging.INFO)
    await slack.socket.connected()
    slack.socket.withhold_urls = True
    await slack.socket.disconnect("refresh_requested")
    asked_at = []
    for count in (2, 3, 4):  # the first ask was at start-up
        await slack.wait_for("apps.connections.open", count=count)
        asked_at.append(time.monotonic())
    first_gap, second_gap = asked_at[1] - asked_at[0], asked_at[2] - asked_at[1]
    assert first_gap >= 0.9 and second_gap >= 1.9  # waited 1 s, then 2 s
    slack.socket.withhold_urls = False
    envelope = await slack.socket.push("slash_commands", command_payload("latest", "unused"))
    payload = await slack.socket.ack(envelope)
    assert payload is not None and "Chip plant opens" in payload["text"]
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) >= 3 and all(r.exc_info is None for r in problems)
    assert all("without a websocket URL" in r.getMessage() for r in problems)

"""HTTP mode as Slack drives it: real signed requests to the running app, answers read back from
the ack bodies, the response URLs and the Web API calls that reached the emulator."""

import json
import time
from typing import Any

from bot import messages
from bot.slack import actions
from tests.support.bot_server import RunningBot
from tests.support.slack_emulator import BOT_USER_ID
from tests.support.slack_requests import (
    USER_ID,
    block_action_payload,
    event_payload,
    message_event,
)


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_news_latest_is_answered_in_the_ack_body(bot: RunningBot) -> None:
    reply = await bot.sender.command("latest", bot.slack.response_url())
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_type"] == "ephemeral"
    shown = _texts(answer["blocks"])
    assert shown.index("River flood") < shown.index("Chip plant opens")
    assert shown.index("Chip plant opens") < shown.index("Council passes budget")
    assert "Chip plant opens" in answer["text"]
    # Slash commands never need the bot in the channel: no chat.postMessage at all.
    assert bot.slack.calls_to("chat.postMessage") == []


async def test_post_text_stays_inert_in_slack(bot: RunningBot) -> None:
    reply = await bot.sender.command("latest climate", bot.slack.response_url())
    shown = _texts(reply.json()["blocks"]) + reply.json()["text"]
    assert "&lt;!channel&gt;" in shown
    assert "<!channel>" not in shown
    assert "javascript:" not in shown


async def test_unknown_category_gets_a_suggestion(bot: RunningBot) -> None:
    reply = await bot.sender.command("latest politcs", bot.slack.response_url())
    assert reply.status == 200
    assert "Did you mean Politics?" in reply.json()["text"]


async def test_a_button_answers_through_the_response_url(bot: RunningBot) -> None:
    url = bot.slack.response_url("open")
    click = block_action_payload(actions.SHOW_POST, "2026-11-21-chip-plant", url)
    reply = await bot.sender.action(click)
    assert reply.status == 200
    [card] = await bot.slack.wait_for_response("open")
    assert card["response_type"] == "ephemeral"
    assert card["blocks"][0]["type"] == "header"
    assert card["blocks"][0]["text"]["text"] == "Chip plant opens"


async def test_a_direct_message_is_answered_in_the_dm(bot: RunningBot) -> None:
    reply = await bot.sender.event(event_payload(message_event("latest technology")))
    assert reply.status == 200
    [call] = await bot.slack.wait_for("chat.postMessage")
    assert call.ok
    assert call.params["channel"] == "D0ALICE"
    assert "Chip plant opens" in _texts(call.params["blocks"])
    assert call.headers["Authorization"].startswith("Bearer xoxb-")


async def test_a_mention_is_answered_in_a_thread(bot: RunningBot) -> None:
    mention = message_event(
        f"<@{BOT_USER_ID}> latest politics", channel="C0NEWS", type="app_mention"
    )
    await bot.sender.event(event_payload(mention))
    [call] = await bot.slack.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0NEWS"
    assert call.params["thread_ts"] == mention["ts"]
    assert "Council passes budget" in _texts(call.params["blocks"])


async def test_opening_app_home_publishes_the_headlines(bot: RunningBot) -> None:
    opened = {"type": "app_home_opened", "user": USER_ID, "channel": "D0ALICE", "tab": "home"}
    await bot.sender.event(event_payload(opened))
    [call] = await bot.slack.wait_for("views.publish")
    assert call.params["user_id"] == USER_ID
    assert call.params["view"]["type"] == "home"
    assert "Chip plant opens" in _texts(call.params["view"]["blocks"])


async def test_a_retried_event_is_answered_once(bot: RunningBot) -> None:
    original = event_payload(message_event("latest"))
    assert (await bot.sender.event(original)).status == 200
    await bot.slack.wait_for("chat.postMessage")
    # Slack thinks the first delivery timed out and sends it again, twice.
    assert (await bot.sender.event(original, retry_num=1)).status == 200
    assert (await bot.sender.event(original, retry_num=2)).status == 200
    # A different event afterwards is answered: the retries above were skipped, not queued.
    await bot.sender.event(event_payload(message_event("categories")))
    calls = await bot.slack.wait_for("chat.postMessage", count=2)
    assert len(calls) == 2
    assert "Categories" in calls[1].params["text"]


async def test_a_forged_signature_is_refused(bot: RunningBot) -> None:
    body = json.dumps(event_payload(message_event("latest")))
    reply = await bot.sender.post(body, "application/json", signature="v0=" + "0" * 64)
    assert reply.status == 401
    assert bot.slack.calls.items == []


async def test_a_stale_timestamp_is_refused(bot: RunningBot) -> None:
    body = "command=%2Fnews&text=latest"
    stale = int(time.time()) - 10 * 60  # bolt accepts five minutes of clock skew
    reply = await bot.sender.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert reply.status == 401


async def test_a_slack_error_gets_an_apology_and_the_next_message_works(
    bot: RunningBot,
) -> None:
    bot.slack.fail("chat.postMessage", "not_in_channel", times=1)
    await bot.sender.event(event_payload(message_event("latest")))
    failed, apology = await bot.slack.wait_for("chat.postMessage", count=2)
    assert failed.answer == {"ok": False, "error": "not_in_channel"}
    assert apology.params["text"] == messages.ERROR_REPLY
    await bot.sender.event(event_payload(message_event("latest politics")))
    calls = await bot.slack.wait_for("chat.postMessage", count=3)
    assert calls[2].ok and "Council passes budget" in calls[2].params["text"]


async def test_a_rate_limited_reply_is_sent_after_retry_after(bot: RunningBot) -> None:
    bot.slack.rate_limit("chat.postMessage", every=2, retry_after=1)
    await bot.sender.event(event_payload(message_event("latest")))
    await bot.sender.event(event_payload(message_event("categories")))
    calls = await bot.slack.wait_for("chat.postMessage", count=3)
    assert [call.status for call in calls] == [200, 429, 200]
    assert calls[1].params == calls[2].params  # the same message, sent again after waiting


async def test_health_reports_the_database_and_post_count(bot: RunningBot) -> None:
    reply = await bot.get("/healthz")
    assert reply.status == 200
    assert reply.json() == {"status": "ok", "database": "reachable", "posts": 3}

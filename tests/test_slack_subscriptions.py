"""Subscriptions as Slack drives them: signed slash commands, the modal, the App Home and digests,
with every Web API call read back from the emulator."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.news.delivery.digests import run_due_digests
from bot.runtime.state import make_client
from bot.slack.blocks.subscribe_modal import CALLBACK_ID
from bot.slack.publisher import SlackPublisher
from bot.store import Store
from bot.store.channels import channel_pause
from bot.store.subscriptions import Subscription, channel_subscriptions
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.factory import write_post
from tests.support.ingesting import ingest
from tests.support.slack_emulator import TEAM_ID, SlackEmulator
from tests.support.slack_requests import CHANNEL_ID, USER_ID, event_payload
from tests.support.subscribing import open_modal, submission, submit


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _command(bot: RunningBot, text: str, **fields: str) -> dict[str, Any]:
    reply = await bot.sender.command(text, bot.slack.response_url(), **fields)
    assert reply.status == 200
    answer: dict[str, Any] = reply.json()
    assert answer["response_type"] == "ephemeral"
    return answer


async def _channel_rows(store: Store, channel: str = CHANNEL_ID) -> list[Subscription]:
    async with store.sessions() as session:
        return await channel_subscriptions(session, TEAM_ID, channel)


async def test_subscribe_list_and_unsubscribe_by_slash_command(bot: RunningBot) -> None:
    answer = await _command(bot, "subscribe politics, technology sentiment:>=5 budget")
    assert "Subscribed this channel to Politics, Technology." in answer["text"]
    listing = _shown((await _command(bot, "subscriptions"))["blocks"])
    assert "*Politics* · as they come · sentiment ≥ 5 · mentioning “budget”" in listing
    assert f"by <@{USER_ID}>" in listing
    rows = await _channel_rows(bot.runtime.store)
    assert [(r.category_key, r.created_by, r.keywords) for r in rows] == [
        ("politics", USER_ID, ("budget",)),
        ("technology", USER_ID, ("budget",)),
    ]
    answer = await _command(bot, "unsubscribe technolgy")
    assert "not subscribed to 'technolgy'. Did you mean Technology?" in answer["text"]
    answer = await _command(bot, "unsubscribe all")
    assert "Unsubscribed this channel from Politics, Technology." in answer["text"]
    assert await _channel_rows(bot.runtime.store) == []


async def test_unknown_category_gets_a_suggestion_and_saves_nothing(bot: RunningBot) -> None:
    answer = await _command(bot, "subscribe politcs")
    assert answer["text"] == "No category 'politcs'. Did you mean Politics?"
    assert await _channel_rows(bot.runtime.store) == []


async def test_pause_resume_and_status(bot: RunningBot) -> None:
    await _command(bot, "subscribe all")
    await _command(bot, "pause")
    status = _shown((await _command(bot, "status"))["blocks"])
    assert f"Paused by <@{USER_ID}>" in status
    assert "*All categories* · as they come" in status
    assert "Nothing delivered here yet." in status
    assert "Resumed" in (await _command(bot, "resume"))["text"]
    status = _shown((await _command(bot, "status"))["blocks"])
    assert "nothing is paused or failing" in status


@pytest.fixture
async def admins_only_bot(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> AsyncIterator[RunningBot]:
    write_post(posts_dir, "2026-11-20-budget.md", title="Council passes budget")
    await ingest(store, [posts_dir])
    settings = bot_settings(slack, store.engine.url.render_as_string(False), posts_dir)
    settings = settings.model_copy(update={"subscribe_policy": "admins"})
    slack.add_user("U0BOSS", "boss", is_admin=True)
    async with running_bot(make_runtime(settings, store), slack) as running:
        yield running


async def test_admins_policy_refuses_others_with_a_clear_ephemeral_reply(
    admins_only_bot: RunningBot,
) -> None:
    bot = admins_only_bot
    refused = await _command(bot, "subscribe politics")
    assert "Only workspace admins and owners" in refused["text"]
    assert "Only workspace admins and owners" in (await _command(bot, "pause"))["text"]
    assert await _channel_rows(bot.runtime.store) == []
    asked = [call.params["user"] for call in bot.slack.calls_to("users.info")]
    assert asked == [USER_ID, USER_ID]
    allowed = await _command(bot, "subscribe politics", user_id="U0BOSS")
    assert "Subscribed this channel to Politics." in allowed["text"]
    # Reading is open to everyone.
    assert "*Politics*" in _shown((await _command(bot, "subscriptions"))["blocks"])


async def test_bare_subscribe_opens_a_modal_whose_submission_subscribes(bot: RunningBot) -> None:
    view = await open_modal(bot)
    assert view["callback_id"] == CALLBACK_ID
    options = view["blocks"][1]["element"]["options"]
    assert [o["value"] for o in options] == ["all", "Climate", "Politics", "Technology"]
    values = {
        "categories": {"selected_options": [{"value": "Politics"}, {"value": "Climate"}]},
        "sentiment": {"value": "4.5"},
        "keywords": {"value": 'flood, "budget vote"'},
        "digest": {"selected_option": {"value": "daily"}},
        "digest_time": {"selected_time": "08:30"},
    }
    answer = await submit(bot, submission(view, values))
    assert answer["response_action"] == "update"
    assert "Subscribed this channel to Politics, Climate." in _shown(answer["view"])
    rows = await _channel_rows(bot.runtime.store)
    assert {r.category_key for r in rows} == {"politics", "climate"}
    row = rows[0]
    assert (row.min_sentiment, row.keywords) == (4.5, ("flood", "budget vote"))
    # The time zone is the subscriber's, from users.info (the emulator says Europe/Berlin).
    assert (row.digest, row.digest_tz) == ("daily@08:30", "Europe/Berlin")
    assert row.digest_next_at is not None
    assert row.digest_next_at.astimezone(_berlin()).strftime("%H:%M") == "08:30"


def _berlin() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Berlin")


async def test_modal_keeps_the_form_open_with_what_to_fix(bot: RunningBot) -> None:
    view = await open_modal(bot)
    weekly_no_day = {
        "categories": {"selected_options": [{"value": "Politics"}]},
        "digest": {"selected_option": {"value": "weekly"}},
    }
    answer = await submit(bot, submission(view, weekly_no_day))
    assert answer == {
        "response_action": "errors",
        "errors": {"digest_day": "Pick the day for a weekly digest."},
    }
    bad_score = {
        "categories": {"selected_options": [{"value": "Politics"}]},
        "sentiment": {"value": "12"},
    }
    answer = await submit(bot, submission(view, bad_score))
    assert answer["errors"] == {"sentiment": "Use a number from 0 to 10."}
    assert await _channel_rows(bot.runtime.store) == []


async def test_app_home_lists_the_workspaces_subscriptions(bot: RunningBot) -> None:
    await _command(bot, "subscribe technology digest:weekly@fri17:00")
    await _command(bot, "subscribe climate", channel_id="C0OTHER")
    await _command(bot, "pause", channel_id="C0OTHER")
    opened = {"type": "app_home_opened", "user": USER_ID, "channel": "D0ALICE", "tab": "home"}
    await bot.sender.event(event_payload(opened))
    [call] = await bot.slack.wait_for("views.publish")
    assert call.ok
    home = _shown(call.params["view"])
    assert "Channel subscriptions" in home
    assert "<#C0NEWS>: *Technology* · weekly digest on Friday at 17:00 (Europe/Berlin)" in home
    assert "<#C0OTHER>: :double_vertical_bar: Paused by" in home


async def test_a_due_digest_sends_a_parent_and_each_card_in_its_thread(bot: RunningBot) -> None:
    await _command(bot, "subscribe politics digest:daily@09:00")
    [row] = await _channel_rows(bot.runtime.store)
    assert row.digest_next_at is not None
    due = row.digest_next_at
    published = (due - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    for name, title, category in [
        ("a.md", "Mayor elected", "Politics"),
        ("b.md", "Senate recess", "Politics"),
        ("c.md", "New phone", "Technology"),
    ]:
        write_post(
            bot.runtime.settings.posts_dir, name, title=title, category=category, date=published
        )
    await ingest(bot.runtime.store, [bot.runtime.settings.posts_dir])
    sender = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)

    assert await run_due_digests(bot.runtime.store, sender, due - timedelta(seconds=1)) == 0
    assert await run_due_digests(bot.runtime.store, sender, due) == 1
    parent, *replies = bot.slack.sent("chat.postMessage")
    assert parent["channel"] == CHANNEL_ID and "thread_ts" not in parent
    assert "Mayor elected" in parent["text"] and "Senate recess" in parent["text"]
    assert "New phone" not in _shown(parent["blocks"])
    parent_ts = bot.slack.calls_to("chat.postMessage")[0].answer["ts"]
    assert [r["thread_ts"] for r in replies] == [parent_ts, parent_ts]
    assert [r["blocks"][0]["text"]["text"] for r in replies] == ["Mayor elected", "Senate recess"]
    # Claimed and moved on: running again, on any replica, sends nothing more.
    assert await run_due_digests(bot.runtime.store, sender, due) == 0
    [moved] = await _channel_rows(bot.runtime.store)
    assert moved.digest_next_at == due + timedelta(days=1) and moved.digest_last_at == due


async def test_a_digest_channel_the_bot_left_is_paused_with_the_reason(bot: RunningBot) -> None:
    due = await _digest_with_one_post(bot)
    bot.slack.fail("chat.postMessage", "not_in_channel", times=1)  # the digest, not the DM
    sender = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)
    assert await run_due_digests(bot.runtime.store, sender, due) == 0
    async with bot.runtime.store.sessions() as session:
        pause = await channel_pause(session, TEAM_ID, CHANNEL_ID)
    assert pause is not None and pause.by_failure and pause.reason == "not_in_channel"
    status = _shown((await _command(bot, "status"))["blocks"])
    assert "Slack said `not_in_channel`" in status and "/invite @newsbot" in status
    # The person who subscribed the channel is told, as for channel auto-posts.
    assert bot.slack.sent("conversations.open") == [{"users": USER_ID}]
    [refused, dm] = bot.slack.calls_to("chat.postMessage")
    assert not refused.ok and refused.params["channel"] == CHANNEL_ID
    assert dm.ok and dm.params["channel"].startswith("D")
    assert f"<#{CHANNEL_ID}>" in dm.params["text"] and "/invite @newsbot" in dm.params["text"]


@pytest.mark.parametrize("reason", ["channel_not_found", "is_archived"])
async def test_a_digest_channel_gone_or_archived_is_paused_and_its_subscriber_told(
    bot: RunningBot, reason: str
) -> None:
    due = await _digest_with_one_post(bot)
    bot.slack.fail("chat.postMessage", reason, times=1)
    sender = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)
    assert await run_due_digests(bot.runtime.store, sender, due) == 0
    async with bot.runtime.store.sessions() as session:
        pause = await channel_pause(session, TEAM_ID, CHANNEL_ID)
    assert pause is not None and pause.reason == reason
    [dm] = [p for p in bot.slack.sent("chat.postMessage") if p["channel"].startswith("D")]
    assert f"<#{CHANNEL_ID}>" in dm["text"]


@pytest.mark.slow
async def test_a_rate_limited_digest_waits_and_is_sent_once(bot: RunningBot) -> None:
    """Slack answers 429 (with Retry-After) more times than the client retries by itself; the
    digest waits each one out and arrives whole: one parent, one reply per post."""
    due = await _digest_with_one_post(bot)
    bot.slack.rate_limit("chat.postMessage", every=1, retry_after=0)
    sender = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)
    sending = asyncio.create_task(run_due_digests(bot.runtime.store, sender, due))
    await bot.slack.wait_for("chat.postMessage", 6)  # beyond the client's own 3 retries
    bot.slack.heal("chat.postMessage")
    assert await sending == 1
    parent, reply = bot.slack.sent("chat.postMessage")
    assert "thread_ts" not in parent and "Late news" in parent["text"]
    assert reply["thread_ts"] == bot.slack.calls_to("chat.postMessage")[-2].answer["ts"]
    async with bot.runtime.store.sessions() as session:
        assert await channel_pause(session, TEAM_ID, CHANNEL_ID) is None


async def test_a_digest_that_fails_does_not_stop_the_others(bot: RunningBot) -> None:
    due = await _digest_with_one_post(bot)
    await _command(bot, "subscribe all digest:daily@07:00", channel_id="C0OTHER")
    bot.slack.fail("chat.postMessage", "msg_too_long", times=1)  # the first digest only
    sender = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)
    assert await run_due_digests(bot.runtime.store, sender, due) == 1
    delivered = {p["channel"] for p in bot.slack.sent("chat.postMessage")}
    assert len(delivered) == 1 and delivered <= {CHANNEL_ID, "C0OTHER"}


async def _digest_with_one_post(bot: RunningBot) -> datetime:
    """This channel subscribed to every category as a daily digest, with one post due in it;
    returns the moment it falls due."""
    await _command(bot, "subscribe all digest:daily@07:00")
    [row] = await _channel_rows(bot.runtime.store)
    assert row.digest_next_at is not None
    published = (row.digest_next_at - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    write_post(bot.runtime.settings.posts_dir, "late.md", title="Late news", date=published)
    await ingest(bot.runtime.store, [bot.runtime.settings.posts_dir])
    return row.digest_next_at

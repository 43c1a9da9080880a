"""``/news why ID``: for one post and the channel it is asked in, delivered (when, with a link
from ``chat.getPermalink``) or exactly why not, read from the delivery ledger and the
subscription. One test per reason, through signed slash commands, the real engine and the Slack
emulator, on SQLite and PostgreSQL; and the App Home's same answers for each channel's newest
posts."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.news.delivery.engine import EngineSettings
from bot.news.delivery.send import Pacing
from bot.store.deliveries import FAILED, PENDING
from tests.support.bot_server import RunningBot
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import QUICK, rows, until
from tests.support.slack_requests import CHANNEL_ID, USER_ID, event_payload
from tests.support.subscribing import command, deliver, delivering, publish, said, shown

ARCHIVED = "2026-11-20-budget-vote"  # in the store before any channel subscribed (Politics)
NO_BACKOFF = EngineSettings(
    lease=QUICK.lease,
    poll_seconds=QUICK.poll_seconds,
    pacing=Pacing(interval=timedelta(0), backoff=timedelta(0), max_attempts=3),
)


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


async def _row_state(bot: RunningBot, post_id: str) -> tuple[str, str | None] | None:
    for row in await rows(bot.runtime.store):
        if row.key.post_id == post_id and row.key.channel_id == CHANNEL_ID:
            return row.state, row.last_error
    return None


async def test_delivered_says_when_and_links_to_the_message(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    post_id = await publish(bot, "mayor", title="Mayor elected")
    await deliver(bot)
    [posted] = [c for c in bot.slack.calls_to("chat.postMessage") if c.ok]
    answer = await said(bot, f"why {post_id}")
    assert "Delivered here on" in answer
    [asked] = bot.slack.sent("chat.getPermalink")
    assert (asked["channel"], asked["message_ts"]) == (CHANNEL_ID, posted.answer["ts"])
    link = (
        f"https://newsroom.slack.com/archives/{CHANNEL_ID}/p{posted.answer['ts'].replace('.', '')}"
    )
    assert f"<{link}|Open the message>" in answer


async def test_not_subscribed_to_its_category(bot: RunningBot) -> None:
    await command(bot, "subscribe Technology")
    answer = await said(bot, f"why {ARCHIVED}")
    assert "Not delivered: this channel is not subscribed to *Politics*" in answer
    assert "`/news subscribe Politics`" in answer


async def test_excluded_by_a_word_which_it_names(bot: RunningBot) -> None:
    await command(bot, 'subscribe Politics -"rate cut" -budget')
    post_id = await publish(bot, "budget-row", title="Council budget row")
    await deliver(bot)
    answer = await said(bot, f"why {post_id}")
    assert "it mentions “budget”, which this channel's Politics subscription excludes" in answer


async def test_below_the_sentiment_threshold(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics sentiment:>=8")
    post_id = await publish(bot, "grim", title="Grim news", sentiment_score=3)
    await deliver(bot)
    answer = await said(bot, f"why {post_id}")
    assert "its sentiment score is 3, below the minimum of 8" in answer


async def test_arrived_before_the_channel_subscribed(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    await deliver(bot)
    answer = await said(bot, f"why {ARCHIVED}")
    assert "it arrived on" in answer and "before this channel subscribed on" in answer
    assert bot.slack.sent("chat.postMessage") == []


async def test_paused_and_by_whom(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    await command(bot, "pause")
    post_id = await publish(bot, "quiet", title="Quiet news")
    await deliver(bot)
    answer = await said(bot, f"why {post_id}")
    assert f"<@{USER_ID}> paused this channel on" in answer
    assert "`/news resume`" in answer


async def test_waiting_for_a_rate_limit(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    # The client waits out three 429s itself; the fourth asks for ten minutes.
    bot.slack.rate_limit("chat.postMessage", then=(0, 0, 0, 600))
    post_id = await publish(bot, "busy", title="Busy day")
    async with delivering(bot):
        await until(lambda: _is(bot, post_id, (PENDING, "ratelimited")))
        answer = await said(bot, f"why {post_id}")
    assert "Waiting for a rate limit" in answer and "next try" in answer


async def test_failed_with_slacks_error(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    bot.slack.fail("chat.postMessage", "invalid_blocks")
    post_id = await publish(bot, "broken", title="Broken card")
    async with delivering(bot, NO_BACKOFF):
        await until(lambda: _is(bot, post_id, (FAILED, "invalid_blocks")))
    answer = await said(bot, f"why {post_id}")
    assert "Not delivered: Slack said `invalid_blocks` each time newsbot tried (3 tries)" in answer


async def test_in_the_next_digest(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics digest:daily@09:00")
    post_id = await publish(bot, "later", title="Later news")
    await deliver(bot)
    answer = await said(bot, f"why {post_id}")
    assert "it is in the daily digest at 09:00 (Europe/Berlin) due" in answer


async def test_an_unknown_id_gets_one_sentence(bot: RunningBot) -> None:
    answer = await command(bot, "why 2026-11-20-budget-vot")
    assert answer["text"] == (
        "No post with id `2026-11-20-budget-vot`. Similar ids: `2026-11-20-budget-vote`."
    )
    assert (await command(bot, "why"))["text"].startswith("Which post? Use `why ID`")
    assert bot.slack.sent("chat.getPermalink") == []


async def test_the_app_home_explains_each_channels_latest_posts(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics -budget")
    await publish(bot, "budget-row", title="Council budget row")
    await publish(bot, "mayor", title="Mayor elected")
    await deliver(bot)
    opened = {"type": "app_home_opened", "user": USER_ID, "channel": "D0ALICE", "tab": "home"}
    await bot.sender.event(event_payload(opened))
    [call] = await bot.slack.wait_for("views.publish")
    home = shown(call.params["view"])
    assert "Latest posts here:" in home
    assert "Mayor elected: :white_check_mark: Delivered here on" in home
    assert "Council budget row: Not delivered: it mentions “budget”" in home
    assert "Council passes budget: Not delivered: it mentions “budget”" in home


async def _is(bot: RunningBot, post_id: str, wanted: tuple[str, str]) -> bool:
    return await _row_state(bot, post_id) == wanted

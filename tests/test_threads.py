"""thread:on: each new summary as a short parent message with its TL;DR card as the first reply;
an edit updates both; a burst keeps its one grouped message, with each card in its thread. Through
signed slash commands, the real engine and the Slack emulator, on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.store.deliveries import SENT, Delivery
from tests.support.bot_server import RunningBot
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import rows
from tests.support.slack_requests import CHANNEL_ID
from tests.support.subscribing import command, deliver, publish, said, shown


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


def _posted(bot: RunningBot) -> list[tuple[dict[str, Any], str]]:
    """Each accepted chat.postMessage in the channel, with the ts Slack gave it."""
    return [
        (call.params, str(call.answer["ts"]))
        for call in bot.slack.calls_to("chat.postMessage")
        if call.ok and call.params["channel"] == CHANNEL_ID
    ]


async def _ledger(bot: RunningBot) -> list[Delivery]:
    return [row for row in await rows(bot.runtime.store) if row.key.channel_id == CHANNEL_ID]


async def test_a_post_arrives_as_a_short_parent_with_its_card_in_the_thread(
    bot: RunningBot,
) -> None:
    await command(bot, "subscribe Politics thread:on")
    assert "each in its own thread" in await said(bot, "subscriptions")
    await publish(bot, "mayor", title="Mayor elected", sentiment_score=7.5)
    await deliver(bot)
    [(parent, parent_ts), (reply, reply_ts)] = _posted(bot)
    assert "thread_ts" not in parent
    assert "Mayor elected" in shown(parent["blocks"]) and "Politics" in shown(parent["blocks"])
    assert "7.5/10" in shown(parent["blocks"])
    assert "TL;DR card is in the thread" in shown(parent["blocks"])
    assert "First point." not in shown(parent["blocks"])
    assert reply["thread_ts"] == parent_ts
    assert reply["blocks"][0]["text"]["text"] == "Mayor elected"
    assert "First point." in shown(reply["blocks"])
    [row] = await _ledger(bot)
    assert (row.state, row.message_ts, row.reply_ts, row.threaded) == (
        SENT,
        parent_ts,
        reply_ts,
        True,
    )


async def test_an_edit_updates_the_parent_and_the_card(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics thread:on")
    await publish(bot, "mayor", title="Mayor elected")
    await deliver(bot)
    [(_, parent_ts), (_, reply_ts)] = _posted(bot)
    await publish(bot, "mayor", title="Mayor re-elected", tldr=["A recount confirmed it."])
    await deliver(bot)
    updates = {call["ts"]: call for call in bot.slack.sent("chat.update")}
    assert set(updates) == {parent_ts, reply_ts}
    assert "Mayor re-elected" in shown(updates[parent_ts]["blocks"])
    assert "A recount confirmed it." in shown(updates[reply_ts]["blocks"])
    assert len(_posted(bot)) == 2  # nothing posted again


async def test_a_burst_is_one_grouped_parent_with_each_card_in_its_thread(
    bot: RunningBot,
) -> None:
    await command(bot, "subscribe Politics thread:on")
    for slug in ("first", "second", "third"):
        await publish(bot, slug, title=f"The {slug} story")
    await deliver(bot)
    [(parent, parent_ts), *replies] = _posted(bot)
    assert "3 new posts" in shown(parent["blocks"])
    assert [params["thread_ts"] for params, _ in replies] == [parent_ts] * 3
    carded = sorted(params["blocks"][0]["text"]["text"] for params, _ in replies)
    assert carded == ["The first story", "The second story", "The third story"]
    ledger = await _ledger(bot)
    assert {row.message_ts for row in ledger} == {parent_ts}
    assert {row.reply_ts for row in ledger} == {ts for _, ts in replies}
    await publish(bot, "second", title="The second story, corrected")
    await deliver(bot)
    updated = {call["ts"]: call for call in bot.slack.sent("chat.update")}
    assert parent_ts in updated
    assert "The second story, corrected" in shown(updated[parent_ts]["blocks"])
    second_reply = next(row.reply_ts for row in ledger if row.key.post_id.endswith("second"))
    assert "corrected" in shown(updated[second_reply]["blocks"])


async def test_without_thread_mode_a_post_is_one_card(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics")
    await publish(bot, "mayor", title="Mayor elected")
    await deliver(bot)
    [(card, _)] = _posted(bot)
    assert card["blocks"][0]["text"]["text"] == "Mayor elected"
    [row] = await _ledger(bot)
    assert not row.threaded and row.reply_ts is None

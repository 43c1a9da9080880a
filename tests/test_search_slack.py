"""Search through Slack as Slack drives it: a DM that is not a command, /news search, and the
"Next 5" button, answered to the emulator."""

import json
from pathlib import Path

from bot.slack import actions
from bot.store import Store
from tests.support.bot_server import RunningBot
from tests.support.factory import write_post
from tests.support.ingesting import ingest
from tests.support.slack_requests import block_action_payload, event_payload, message_event


async def test_a_dm_that_is_not_a_command_is_a_search(bot: RunningBot) -> None:
    await bot.sender.event(event_payload(message_event("chip plant")))
    [call] = await bot.slack.wait_for("chat.postMessage")
    shown = json.dumps(call.params["blocks"], ensure_ascii=False)
    assert "Search: chip plant" in shown and "1–1 of 1" in shown
    assert "Chip plant opens" in call.params["text"]


async def test_next_five_button_shows_the_following_results(
    bot: RunningBot, store: Store, posts_dir: Path
) -> None:
    for day in range(1, 10):
        write_post(posts_dir, f"2026-10-0{day}-harbour.md", title=f"Harbour works, day {day}")
    await ingest(store, [posts_dir])
    reply = await bot.sender.command("search harbour", bot.slack.response_url())
    first = reply.json()
    [button] = [
        element
        for block in first["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == actions.NEXT_PAGE
    ]
    assert button["text"]["text"] == "Next 4"
    url = bot.slack.response_url("next")
    await bot.sender.action(block_action_payload(actions.NEXT_PAGE, button["value"], url))
    [second] = await bot.slack.wait_for_response("next")
    shown = json.dumps(second["blocks"], ensure_ascii=False)
    assert "6–9 of 9" in shown
    assert "Harbour works, day 4" in shown and "Harbour works, day 9" not in shown

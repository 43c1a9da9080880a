"""Driving subscriptions the way people do, through signed slash commands to the running bot, and
running the delivery engine beside it against the delivery emulator."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

from bot.news.delivery.engine import Deliverer, EngineSettings
from bot.runtime.state import make_client
from bot.slack.publisher import SlackPublisher
from tests.support.bot_server import RunningBot
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import QUICK, ingest_dir, new_post, until_settled
from tests.support.slack_emulator import TEAM_ID
from tests.support.slack_requests import USER_ID


def shown(value: Any) -> str:
    """Blocks as the JSON text Slack receives, to look for what a person reads."""
    return json.dumps(value, ensure_ascii=False)


async def command(bot: RunningBot, text: str, **fields: str) -> dict[str, Any]:
    """``/news TEXT`` typed in the test channel; the ephemeral answer."""
    reply = await bot.sender.command(text, bot.slack.response_url(), **fields)
    assert reply.status == 200
    answer: dict[str, Any] = reply.json()
    assert answer["response_type"] == "ephemeral"
    return answer


async def said(bot: RunningBot, text: str, **fields: str) -> str:
    """The answer's text and blocks, as one string to look into."""
    answer = await command(bot, text, **fields)
    return f"{answer['text']}\n{shown(answer.get('blocks', []))}"


@asynccontextmanager
async def delivering(bot: RunningBot, settings: EngineSettings = QUICK) -> AsyncIterator[Deliverer]:
    """The delivery engine ``serve`` runs, on the bot's store and Slack client (thread replies
    not paced)."""
    publisher = SlackPublisher(make_client(bot.runtime.settings), digest_pace_seconds=0)
    deliverer = Deliverer(bot.runtime.store, publisher, settings)
    task = asyncio.create_task(deliverer.run())
    try:
        yield deliverer
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def publish(bot: RunningBot, slug: str, **fields: Any) -> str:
    """A new post dated now, ingested; returns its id."""
    path = new_post(bot.runtime.settings.posts_dir, slug, **fields)
    await ingest_dir(bot.runtime.store, bot.runtime.settings.posts_dir)
    return path.stem


async def deliver(bot: RunningBot) -> None:
    """Run the engine until every post is planned and every ledger row done."""
    async with delivering(bot):
        await until_settled(bot.runtime.store)


def titles_posted(slack: DeliveryEmulator, channel: str) -> list[str]:
    """The fallback text of each top-level message posted in ``channel``."""
    return [
        str(params["text"])
        for params in slack.sent("chat.postMessage")
        if params["channel"] == channel and "thread_ts" not in params
    ]


def submission(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    state = {block: {"value": value} for block, value in values.items()}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "user": {"id": USER_ID, "username": "alice", "team_id": TEAM_ID},
        "api_app_id": "A0NEWSBOT",
        "token": "deprecated-verification-token",
        "trigger_id": "9.1.trigger",
        "view": view | {"id": "V1", "team_id": TEAM_ID, "state": {"values": state}},
    }


async def submit(bot: RunningBot, payload: dict[str, Any]) -> dict[str, Any]:
    body = urlencode({"payload": json.dumps(payload)})
    reply = await bot.sender.post(body, "application/x-www-form-urlencoded")
    assert reply.status == 200
    answer: dict[str, Any] = reply.json()
    return answer


async def open_modal(bot: RunningBot) -> dict[str, Any]:
    reply = await bot.sender.ack_of_command(
        "subscribe", bot.slack.response_url(), trigger_id="7.1.tr"
    )
    assert reply.status == 200
    [call] = await bot.slack.wait_for("views.open")
    assert call.ok and call.params["trigger_id"] == "7.1.tr"
    view: dict[str, Any] = call.params["view"]
    return view

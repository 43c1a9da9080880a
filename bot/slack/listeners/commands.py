"""The ``/news`` slash command: answered in the ack body when quick, else through response_url,
so it works in DMs and in channels the bot has not joined (facts.md §2)."""

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.slack.askers import asker_of
from bot.slack.conversation import Deps, converse

COMMAND = "/news"
EPHEMERAL = "ephemeral"  # answers only the person who typed the command sees
# Slack gives up after 3 s; leave room for the network on the way back.
ACK_BUDGET_SECONDS = 2.0


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_news(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        asker = asker_of(command)
        reply = asyncio.ensure_future(
            converse(deps, asker, command.get("text", ""), shareable=True)
        )
        done, _ = await asyncio.wait({reply}, timeout=ACK_BUDGET_SECONDS)
        if reply in done:
            # A failure raises here, before the ack: the error handler answers in the ack.
            await ack(response_type=EPHEMERAL, **reply.result().payload())
            return
        await ack()
        message = await reply  # a failure here reaches the error handler, which responds
        await respond(response_type=EPHEMERAL, **message.payload())

    app.command(COMMAND)(on_news)

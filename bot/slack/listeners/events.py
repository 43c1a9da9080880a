"""Direct messages and mentions: the same grammar, without the ``/news`` prefix."""

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncSay

from bot.news.commands import strip_mention
from bot.slack.askers import asker_of
from bot.slack.conversation import Deps, converse


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_direct_message(event: dict[str, Any], body: dict[str, Any], say: AsyncSay) -> None:
        message = await converse(deps, asker_of(event, "dm", envelope=body), event.get("text", ""))
        await say(**message.payload())

    async def on_mention(
        event: dict[str, Any], body: dict[str, Any], say: AsyncSay, context: AsyncBoltContext
    ) -> None:
        text = strip_mention(event.get("text", ""), context.bot_user_id)
        message = await converse(deps, asker_of(event, "mention", envelope=body), text)
        await say(thread_ts=event.get("thread_ts") or event.get("ts"), **message.payload())

    async def ignore_other_messages() -> None:
        """Edits, joins and other bots' messages: acknowledged, so Slack does not retry them."""

    app.event("message", matchers=[_is_person_in_dm])(on_direct_message)
    app.event("message")(ignore_other_messages)
    app.event("app_mention")(on_mention)


async def _is_person_in_dm(event: dict[str, Any]) -> bool:
    """A person's own new message in a DM with the bot: not an edit, not a bot (bolt already
    drops the bot's own messages)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") is None
        and event.get("bot_id") is None
    )

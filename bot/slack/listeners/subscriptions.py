"""The subscription form: ``/news subscribe`` with nothing after it opens a modal (registered
before the general ``/news`` listener, so it takes that one case), and its submission."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.answers import SubscribeForm
from bot.news.commands import parse_command
from bot.news.subscriptions.form import FormProblems, subscribe_from_form
from bot.news.subscriptions.verbs import subscribe_form
from bot.slack.askers import asker_of
from bot.slack.blocks import render
from bot.slack.blocks.subscribe_modal import (
    CALLBACK_ID,
    read_choices,
    result_view,
    submitted_channel,
    subscribe_view,
)
from bot.slack.conversation import Deps
from bot.slack.listeners.commands import COMMAND


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_bare_subscribe(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        answer = await subscribe_form(deps.context(asker_of(command)))
        if isinstance(answer, SubscribeForm):
            await client.views_open(trigger_id=command["trigger_id"], view=subscribe_view(answer))
        else:
            await respond(response_type="ephemeral", **render(answer).payload())

    async def on_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        choices = read_choices(view)
        if isinstance(choices, dict):
            await ack(response_action="errors", errors=choices)
            return
        submitter = asker_of(body, envelope=view, channel_id=submitted_channel(view))
        answer = await subscribe_from_form(deps.context(submitter), choices)
        if isinstance(answer, FormProblems):
            await ack(response_action="errors", errors=dict(answer.errors))
            return
        await ack(response_action="update", view=result_view(render(answer)))

    app.command(COMMAND, matchers=[_is_bare_subscribe])(on_bare_subscribe)
    app.view(CALLBACK_ID)(on_submit)


async def _is_bare_subscribe(command: dict[str, Any]) -> bool:
    """``/news subscribe`` with nothing after it, and a trigger to open the modal with."""
    parsed = parse_command(command.get("text", ""))
    return parsed.verb == "subscribe" and not parsed.args and bool(command.get("trigger_id"))

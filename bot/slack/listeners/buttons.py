"""Buttons on newsbot's messages: the full summary, one post, the next page, sharing."""

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.news.search import browse
from bot.slack import actions
from bot.slack.askers import asker_of
from bot.slack.blocks import shared_by
from bot.slack.conversation import Deps, converse


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_full_summary(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        post_id = body["actions"][0].get("value", "")
        text = f"show {post_id} {browse.FULL}"
        message = await converse(deps, asker_of(body), text, shareable=True)
        await respond(replace_original=False, response_type="ephemeral", **message.payload())

    async def on_show(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        post_id = body["actions"][0].get("value", "")
        message = await converse(deps, asker_of(body), f"show {post_id}", shareable=True)
        await respond(replace_original=False, response_type="ephemeral", **message.payload())

    async def on_next_page(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        rerun = actions.Rerun.decode(body["actions"][0].get("value", ""))
        if rerun is None:
            return
        shareable = _is_ephemeral(body)
        message = await converse(
            deps, asker_of(body), rerun.command, rerun.offset, shareable=shareable
        )
        await respond(replace_original=True, **message.payload())

    async def on_share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        rerun = actions.Rerun.decode(body["actions"][0].get("value", ""))
        if rerun is None:
            return
        message = await converse(deps, asker_of(body), rerun.command, rerun.offset)
        shared = shared_by(message, body["user"]["id"])
        await respond(response_type="in_channel", replace_original=False, **shared.payload())

    async def on_link(ack: AsyncAck) -> None:
        await ack()  # the browser opens the link; Slack only tells us it was clicked

    app.action(actions.FULL_SUMMARY)(on_full_summary)
    app.action(actions.SHOW_POST)(on_show)
    app.action(actions.NEXT_PAGE)(on_next_page)
    app.action(actions.SHARE)(on_share)
    app.action(re.compile(actions.LINK.pattern))(on_link)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))

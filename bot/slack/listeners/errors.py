"""The one error handler: the person gets a short apology, the log gets the details."""

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot import messages

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    async def on_error(error: Exception, body: dict[str, Any], context: AsyncBoltContext) -> None:
        log.error("failed to answer a %s request", body.get("type", "Slack"), exc_info=error)
        if context.respond is not None and _has_response_url(body):
            await context.respond(text=messages.ERROR_REPLY, response_type="ephemeral")
        elif context.say is not None and context.channel_id:
            await context.say(text=messages.ERROR_REPLY)

    app.error(on_error)


def _has_response_url(body: dict[str, Any]) -> bool:
    return bool(body.get("response_url") or body.get("response_urls"))

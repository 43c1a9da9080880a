"""The one error handler: the person gets a short apology, the log gets the details. A payload
that lacks what Slack always sends gets no apology (nobody typed it): a 400 and one line."""

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot import messages
from bot.slack.askers import MalformedPayloadError

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    async def on_error(
        error: Exception,
        body: dict[str, Any],
        context: AsyncBoltContext,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        """``response`` is None once the request was acknowledged; until then, what this
        returns is the acknowledgement."""
        kind = body.get("type", "Slack")
        if isinstance(error, MalformedPayloadError):
            log.warning("refused a malformed %s request: %s", kind, error)
            refused = BoltResponse(status=400, body={"error": str(error)})
            return None if response is None else refused
        log.error("failed to answer a %s request", kind, exc_info=error)
        if response is not None and "command" in body:
            apology = {"response_type": "ephemeral", "text": messages.ERROR_REPLY}
            return BoltResponse(status=200, body=apology)
        if context.respond is not None and _has_response_url(body):
            await context.respond(text=messages.ERROR_REPLY, response_type="ephemeral")
        elif context.say is not None and context.channel_id:
            await context.say(text=messages.ERROR_REPLY)
        return None

    app.error(on_error)


def _has_response_url(body: dict[str, Any]) -> bool:
    return bool(body.get("response_url") or body.get("response_urls"))

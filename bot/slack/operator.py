"""Telling the operator, in Slack, that a source has been failing for a day.

Who the operator is: the workspace's primary owner (the one person every workspace has),
found with ``users.list`` (scope ``users:read``) in the workspace of ``SLACK_BOT_TOKEN``. The
message is a direct message (scope ``im:write``); text from the source is escaped.
"""

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.news.publisher import PublishError
from bot.news.sources.verbs import failing_notice
from bot.slack.mrkdwn import escape
from bot.slack.publisher import SlackPublisher, calling
from bot.store.sources import Source

log = logging.getLogger(__name__)
PAGE = 200


class OperatorNotice:
    """``on_failing`` for the source runner: one DM to the primary owner."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def __call__(self, source: Source) -> None:
        try:
            team_id = str((await calling(self._client.auth_test())).get("team_id", ""))
            owner = await self._primary_owner()
            if owner is None:
                log.warning("source %d keeps failing; no primary owner to tell", source.id)
                return
            text = escape(failing_notice(source))
            await SlackPublisher(self._client).tell_user(team_id, owner, text)
        except PublishError as error:
            log.warning("could not tell the operator that source %d fails: %s", source.id, error)

    async def _primary_owner(self) -> str | None:
        cursor = ""
        while True:
            page = await calling(self._client.users_list(limit=PAGE, cursor=cursor or None))
            for member in page.get("members", []):
                if member.get("is_primary_owner") and not member.get("deleted"):
                    return str(member["id"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return None

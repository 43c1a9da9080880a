"""What Slack says about a person, through ``users.info`` (scope ``users:read``)."""

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.news.publisher import PublishError
from bot.slack.publisher import calling
from bot.slack.tokens import SingleToken, Tokens

log = logging.getLogger(__name__)


class SlackPeople:
    """``bot.news.context.People`` answered by the Web API. A person Slack cannot
    describe is not an admin and has no known time zone."""

    def __init__(self, client: AsyncWebClient, tokens: Tokens | None = None) -> None:
        self._client = client
        self._tokens = tokens or SingleToken(client.token or "")

    async def _user(self, team_id: str, user_id: str) -> dict[str, Any]:
        try:
            token = await self._tokens.bot_token(team_id)
            response = await calling(self._client.users_info(token=token, user=user_id))
        except PublishError as error:
            log.warning("users.info for %s failed: %s", user_id, error.reason)
            return {}
        user = response.get("user")
        return user if isinstance(user, dict) else {}

    async def is_admin(self, team_id: str, user_id: str) -> bool:
        user = await self._user(team_id, user_id)
        return any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))

    async def time_zone(self, team_id: str, user_id: str) -> str | None:
        zone = (await self._user(team_id, user_id)).get("tz")
        return zone if isinstance(zone, str) and zone else None

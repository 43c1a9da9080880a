"""Who may change a channel's subscriptions: the ``NEWSBOT_SUBSCRIBE_POLICY`` setting.

``anyone`` (the default): anyone who can run ``/news`` in the channel. ``admins``: workspace admins
and owners. Otherwise a comma-separated list of user ids: those people only.
"""

from dataclasses import dataclass
from typing import Protocol

ANYONE = "anyone"
ADMINS = "admins"


class People(Protocol):
    """What newsbot asks Slack about a person (the Slack layer answers with ``users.info``)."""

    async def is_admin(self, team_id: str, user_id: str) -> bool:
        """Whether the user is a workspace admin or owner."""
        ...

    async def time_zone(self, team_id: str, user_id: str) -> str | None:
        """The user's IANA time zone name (``Europe/Paris``), if Slack knows it."""
        ...


@dataclass(frozen=True, slots=True)
class SubscribePolicy:
    """A parsed policy: ``kind`` is ``anyone``, ``admins`` or ``users`` (then ``user_ids``)."""

    kind: str
    user_ids: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, setting: str) -> "SubscribePolicy":
        """Read a setting already checked by ``bot.config.Settings``."""
        value = setting.strip()
        if value.lower() in (ANYONE, ADMINS):
            return cls(value.lower())
        return cls("users", frozenset(part.strip() for part in value.split(",") if part.strip()))

    async def allows(self, people: People | None, team_id: str, user_id: str) -> bool:
        """Whether this user may change a channel. Without ``people`` (the command line, run by
        the operator, with no Slack to ask) the admin check cannot run and the operator is
        trusted."""
        if self.kind == ANYONE:
            return True
        if self.kind == "users":
            return user_id in self.user_ids
        return people is None or await people.is_admin(team_id, user_id)

"""The shape of a verb: who is asking, what they may do, what they can reach, and the handler
that answers.

Who may change a channel's subscriptions is the ``NEWSBOT_SUBSCRIBE_POLICY`` setting: ``anyone``
(the default), anyone who can run ``/news`` in the channel; ``admins``, workspace admins and
owners; otherwise a comma-separated list of user ids, those people only.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.news.answers import Answer
from bot.news.publisher import Publisher
from bot.store.database import Store

Surface = Literal["command", "dm", "mention", "cli"]
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
        """Read a setting already checked by ``bot.runtime.settings.Settings``."""
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


# The default policy: anyone who can run ``/news`` in a channel may change it.
OPEN_POLICY = SubscribePolicy(ANYONE)


@dataclass(frozen=True, slots=True)
class Asker:
    """Where a request came from. ``surface`` is how it was typed: a slash command, a direct
    message, a mention in a channel, or ``newsbot ask`` on the command line. ``channel_id`` is
    empty only for ``newsbot ask`` without ``--channel``: no real channel, so nothing about
    channels is read or changed."""

    team_id: str
    channel_id: str
    user_id: str
    user_name: str = ""
    surface: Surface = "command"


CLI_ASKER = Asker(team_id="T0CLI", channel_id="", user_id="U0CLI", surface="cli")


@dataclass(frozen=True, slots=True)
class VerbContext:
    store: Store
    asker: Asker
    offset: int = 0  # where a "Next" button asked the list to start
    people: People | None = None  # Slack's answers about people; None on the command line
    policy: SubscribePolicy = OPEN_POLICY  # who may change a channel
    publisher: Publisher | None = None  # links to delivered messages; None on the command line


Handler = Callable[[VerbContext, str], Awaitable[Answer]]


@dataclass(frozen=True, slots=True)
class VerbSpec:
    """One verb of the grammar, with the usage and one-line summary that ``help`` shows.
    ``shared``: the answer depends only on the words and the stored posts, never on who asks
    or on their channels, so one answer may serve everyone who types the same words."""

    name: str
    usage: str
    summary: str
    handler: Handler
    shared: bool = False

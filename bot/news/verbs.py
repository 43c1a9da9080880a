"""The shape of a verb: who is asking, what they can reach, and the handler that answers."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bot.config import Settings
from bot.news.answers import Answer
from bot.news.permissions import People
from bot.store.database import Store

Surface = Literal["command", "dm", "mention", "cli"]


@dataclass(frozen=True, slots=True)
class Asker:
    """Where a request came from. ``surface`` is how it was typed: a slash command, a direct
    message, a mention in a channel, or ``newsbot ask`` on the command line."""

    team_id: str
    channel_id: str
    user_id: str
    user_name: str = ""
    surface: Surface = "command"


CLI_ASKER = Asker(team_id="T0CLI", channel_id="D0CLI", user_id="U0CLI", surface="cli")


@dataclass(frozen=True, slots=True)
class VerbContext:
    store: Store
    settings: Settings
    asker: Asker
    offset: int = 0  # where a "Next" button asked the list to start
    people: People | None = None  # Slack's answers about people; None on the command line


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

"""What a person typed, as a verb and its arguments: the one grammar for slash commands, DMs
and mentions."""

import html
import re
from dataclasses import dataclass

from bot.posts.text import UNSAFE_CHARACTERS

COMMAND_PREFIX = "/news"
# Slack's own markup in message text: <@U123>, <@U123|name>, <#C123|general>, <!here>,
# <https://example.com|label>. The readable part is the label when there is one.
_SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_SIGILS = {"@": "@", "#": "#", "!": "@", "": ""}


@dataclass(frozen=True, slots=True)
class Command:
    """A verb (lower case, possibly empty) and the rest of the text, tidied but not split."""

    verb: str
    args: str

    @property
    def text(self) -> str:
        return f"{self.verb} {self.args}".strip()


def parse_command(text: str) -> Command:
    """Read ``/news latest politics``, ``latest politics`` or ``<@U1> latest`` the same way."""
    words = readable(text).split(maxsplit=1)
    if words and words[0].casefold() == COMMAND_PREFIX:
        words = words[1].split(maxsplit=1) if len(words) > 1 else []
    if not words:
        return Command("", "")
    return Command(words[0].casefold(), words[1] if len(words) > 1 else "")


def readable(text: str) -> str:
    """Slack's escaped text as the person saw it: markup becomes its label, entities are
    decoded, control characters become spaces, and whitespace runs collapse."""
    plain = _SLACK_MARKUP.sub(_label_of, text)
    return " ".join(UNSAFE_CHARACTERS.sub(" ", html.unescape(plain)).split())


def _label_of(match: re.Match[str]) -> str:
    sigil, target, label = match.groups()
    if label:
        return f"{_SIGILS[sigil]}{label}" if sigil in "@#" and sigil else label
    return f"{_SIGILS[sigil]}{target}"


def strip_mention(text: str, user_id: str | None) -> str:
    """Drop the bot's own ``<@U…>`` mention from the start of a message addressed to it."""
    if user_id is None:
        return text
    return re.sub(rf"^\s*<@{re.escape(user_id)}(?:\|[^>]*)?>[\s:,]*", "", text)

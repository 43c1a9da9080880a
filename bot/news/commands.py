"""The conversation: what a person typed, read as a verb and its arguments (the one grammar for
slash commands, DMs, mentions and ``newsbot ask``), the table of verbs each feature contributes,
and running the verb, always with a helpful answer."""

import difflib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType

from bot import messages
from bot.news.answers import Answer, Help, Problem, VerbHelp
from bot.news.context import VerbContext, VerbSpec
from bot.news.delivery import why
from bot.news.search import browse
from bot.news.search import verbs as search
from bot.news.sources import verbs as sources
from bot.news.subscriptions import verbs as subscriptions
from bot.posts.text import UNSAFE_CHARACTERS

COMMAND_PREFIX = "/news"
# Slack's own markup in message text: <@U123>, <@U123|name>, <#C123|general>, <!here>,
# <https://example.com|label>. The readable part is the label when there is one.
_SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
_SIGILS = {"@": "@", "#": "#", "!": "@", "": ""}
# Another app's slash command, as `newsbot ask "/foo bar"` would be typed.
_SLASH_COMMAND = re.compile(r"/[\w-]+")


@dataclass(frozen=True, slots=True)
class Command:
    """A verb (lower case, possibly empty) and the rest of the text, tidied but not split."""

    verb: str
    args: str

    @property
    def text(self) -> str:
        return f"{self.verb} {self.args}".strip()


@lru_cache(maxsize=1024)
def parse_command(text: str) -> Command:
    """Read ``/news latest politics``, ``latest politics`` or ``<@U1> latest`` the same way.
    Remembered by text: the same few commands come again and again, and reading one costs
    more than finding a remembered answer to it (``bot.slack.shortcut``)."""
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


SEARCH_VERB = "search"
# Each feature module contributes its verbs; help lists them in this order.
VERB_TABLES: tuple[tuple[VerbSpec, ...], ...] = (
    browse.VERBS,
    search.VERBS,
    subscriptions.VERBS,
    why.VERBS,
    sources.VERBS,
)


async def show_help(_ctx: VerbContext, _args: str) -> Answer:
    return Help(
        tuple(VerbHelp(spec.usage, spec.summary) for spec in all_verbs().values()),
        intro=messages.HELP_INTRO,
    )


HELP = VerbSpec("help", *messages.VERB_HELP, handler=show_help, shared=True)


@cache
def all_verbs() -> Mapping[str, VerbSpec]:
    """Every verb by name, help first: made once, as every command looks its verb up here."""
    verbs = {HELP.name: HELP}
    for table in VERB_TABLES:
        verbs.update((spec.name, spec) for spec in table)
    return MappingProxyType(verbs)


async def answer(ctx: VerbContext, text: str) -> Answer:
    """The answer to ``text`` as typed in a slash command, a DM, a mention or ``newsbot ask``."""
    return await run(ctx, parse_command(text))


def is_shared(command: Command) -> bool:
    """Whether ``command``'s answer is the same for everyone (see ``VerbSpec.shared``)."""
    spec = all_verbs().get(command.verb or HELP.name)
    return spec is not None and spec.shared


async def run(ctx: VerbContext, command: Command) -> Answer:
    """A known verb runs; other text is a search (where search exists) unless it looks like a
    mistyped verb, which gets a suggestion instead, or like another slash command."""
    verbs = all_verbs()
    spec = verbs.get(command.verb or HELP.name)
    if spec is not None:
        return await spec.handler(ctx, command.args)
    if _SLASH_COMMAND.fullmatch(command.verb):
        return Problem(messages.UNKNOWN_COMMAND.format(command=command.verb))
    if SEARCH_VERB in verbs and not _close_verbs(command.verb, verbs):
        return await verbs[SEARCH_VERB].handler(ctx, command.text)
    return Problem(messages.UNKNOWN_VERB.format(verb=command.verb, hint=_verb_hint(command, verbs)))


def _close_verbs(verb: str, verbs: Mapping[str, VerbSpec]) -> list[str]:
    return difflib.get_close_matches(verb, verbs, n=1, cutoff=0.75)


def _verb_hint(command: Command, verbs: Mapping[str, VerbSpec]) -> str:
    close = _close_verbs(command.verb, verbs)
    if close:
        suggestion = " ".join([close[0], command.args]).strip()
        return messages.UNKNOWN_VERB_SUGGESTION.format(suggestion=suggestion)
    listed = ", ".join(f"`{name}`" for name in verbs if name != HELP.name)
    return messages.UNKNOWN_VERB_LIST.format(verbs=listed)

"""Running what a person typed: find the verb, call it, and answer something helpful always."""

import difflib

from bot import messages
from bot.news import browsing, searching, subscribing
from bot.news.answers import Answer, Help, Problem, VerbHelp
from bot.news.grammar import Command, parse_command
from bot.news.verbs import VerbContext, VerbSpec

SEARCH_VERB = "search"
# Each feature module contributes its verbs; help lists them in this order.
VERB_TABLES: tuple[tuple[VerbSpec, ...], ...] = (
    browsing.VERBS,
    searching.VERBS,
    subscribing.VERBS,
)


async def show_help(_ctx: VerbContext, _args: str) -> Answer:
    return Help(
        tuple(VerbHelp(spec.usage, spec.summary) for spec in all_verbs().values()),
        intro=messages.HELP_INTRO,
    )


HELP = VerbSpec("help", *messages.VERB_HELP, handler=show_help, shared=True)


def all_verbs() -> dict[str, VerbSpec]:
    verbs = {HELP.name: HELP}
    for table in VERB_TABLES:
        verbs.update((spec.name, spec) for spec in table)
    return verbs


async def answer(ctx: VerbContext, text: str) -> Answer:
    """The answer to ``text`` as typed in a slash command, a DM, a mention or ``newsbot ask``."""
    return await run(ctx, parse_command(text))


def is_shared(command: Command) -> bool:
    """Whether ``command``'s answer is the same for everyone (see ``VerbSpec.shared``)."""
    spec = all_verbs().get(command.verb or HELP.name)
    return spec is not None and spec.shared


async def run(ctx: VerbContext, command: Command) -> Answer:
    """A known verb runs; other text is a search (where search exists) unless it looks like a
    mistyped verb, which gets a suggestion instead."""
    verbs = all_verbs()
    spec = verbs.get(command.verb or HELP.name)
    if spec is not None:
        return await spec.handler(ctx, command.args)
    if SEARCH_VERB in verbs and not _close_verbs(command.verb, verbs):
        return await verbs[SEARCH_VERB].handler(ctx, command.text)
    return Problem(messages.UNKNOWN_VERB.format(verb=command.verb, hint=_verb_hint(command, verbs)))


def _close_verbs(verb: str, verbs: dict[str, VerbSpec]) -> list[str]:
    return difflib.get_close_matches(verb, verbs, n=1, cutoff=0.75)


def _verb_hint(command: Command, verbs: dict[str, VerbSpec]) -> str:
    close = _close_verbs(command.verb, verbs)
    if close:
        suggestion = " ".join([close[0], command.args]).strip()
        return messages.UNKNOWN_VERB_SUGGESTION.format(suggestion=suggestion)
    listed = ", ".join(f"`{name}`" for name in verbs if name != HELP.name)
    return messages.UNKNOWN_VERB_LIST.format(verbs=listed)

"""The one path from typed text to a Slack message, shared by every listener and ``newsbot ask``."""

from dataclasses import dataclass

from bot.config import Settings
from bot.news import dispatch
from bot.news.grammar import parse_command
from bot.news.permissions import People
from bot.news.verbs import Asker, VerbContext
from bot.slack.answer_memo import AnswerMemo
from bot.slack.blocks import RenderOptions, SlackMessage, render
from bot.store.database import Store


@dataclass(frozen=True, slots=True)
class Deps:
    """What listeners need, made once at start-up. ``memo`` remembers answers that are the same
    for everyone for a moment (``serve`` has one; ``newsbot ask`` answers once and has none)."""

    settings: Settings
    store: Store
    people: People | None = None
    memo: AnswerMemo | None = None


async def converse(
    deps: Deps, asker: Asker, text: str, offset: int = 0, shareable: bool = False
) -> SlackMessage:
    """Answer ``text`` as ``asker`` typed it, rendered for Slack."""
    command = parse_command(text)

    async def fresh() -> SlackMessage:
        ctx = VerbContext(deps.store, deps.settings, asker, offset, deps.people)
        answer = await dispatch.run(ctx, command)
        return render(answer, RenderOptions(shareable=shareable))

    if deps.memo is None or not dispatch.is_shared(command):
        return await fresh()
    return await deps.memo.answer((command, offset, shareable), fresh)

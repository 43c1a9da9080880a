"""The one path from typed text to a Slack message, shared by every listener and ``newsbot ask``."""

from dataclasses import dataclass

from bot.config import Settings
from bot.news import dispatch
from bot.news.permissions import People
from bot.news.verbs import Asker, VerbContext
from bot.slack.blocks import RenderOptions, SlackMessage, render
from bot.store.database import Store


@dataclass(frozen=True, slots=True)
class Deps:
    """What listeners need, made once at start-up."""

    settings: Settings
    store: Store
    people: People | None = None


async def converse(
    deps: Deps, asker: Asker, text: str, offset: int = 0, shareable: bool = False
) -> SlackMessage:
    """Answer ``text`` as ``asker`` typed it, rendered for Slack."""
    ctx = VerbContext(deps.store, deps.settings, asker, offset, deps.people)
    answer = await dispatch.answer(ctx, text)
    return render(answer, RenderOptions(shareable=shareable))

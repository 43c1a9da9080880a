"""The one path from typed text to a Slack message, shared by every listener and ``newsbot ask``."""

from collections.abc import Hashable
from dataclasses import dataclass

from bot.news import commands
from bot.news.commands import Command, parse_command
from bot.news.context import OPEN_POLICY, Asker, People, SubscribePolicy, VerbContext
from bot.news.publisher import Publisher
from bot.slack.answer_memo import AnswerMemo
from bot.slack.blocks import RenderOptions, SlackMessage, render
from bot.store.database import Store


@dataclass(frozen=True, slots=True)
class Deps:
    """What listeners need, made once at start-up. ``memo`` remembers answers that are the same
    for everyone for a moment (``serve`` has one; ``newsbot ask`` answers once and has none)."""

    store: Store
    people: People | None = None
    memo: AnswerMemo | None = None
    policy: SubscribePolicy = OPEN_POLICY
    publisher: Publisher | None = None

    def context(self, asker: Asker, offset: int = 0) -> VerbContext:
        """What a verb asked by ``asker`` receives."""
        return VerbContext(self.store, asker, offset, self.people, self.policy, self.publisher)


async def converse(
    deps: Deps, asker: Asker, text: str, offset: int = 0, shareable: bool = False
) -> SlackMessage:
    """Answer ``text`` as ``asker`` typed it, rendered for Slack."""
    command = parse_command(text)

    async def fresh() -> SlackMessage:
        answer = await commands.run(deps.context(asker, offset), command)
        return render(answer, RenderOptions(shareable=shareable))

    key = memo_key(command, offset, shareable)
    if deps.memo is None or key is None:
        return await fresh()
    return await deps.memo.answer(key, fresh)


def memo_key(command: Command, offset: int = 0, shareable: bool = False) -> Hashable | None:
    """What the memo files ``command``'s rendered answer under, or None when the answer
    depends on who asks (then it is never remembered): everything the answer depends on."""
    return (command, offset, shareable) if commands.is_shared(command) else None

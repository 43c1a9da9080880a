"""The rendering entry point and the small Block Kit pieces every renderer shares."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import singledispatch
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import messages
from bot.news.answers import Answer
from bot.slack.blocks.serialise import as_json
from bot.slack.limits import SECTION_TEXT, TOTAL_BLOCK_TEXT, clip

# What a list may fill of one message, leaving room for its heading and buttons.
LIST_BUDGET = TOTAL_BLOCK_TEXT - 2000


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """``shareable`` adds a "Share in channel" button (for answers only the asker can see)."""

    shareable: bool = False


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """A message as Slack takes it: fallback ``text`` for notifications, and the blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


DEFAULT_OPTIONS = RenderOptions()


@singledispatch
def render(answer: Answer, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    raise TypeError(f"no Slack rendering for {type(answer).__name__}")


def as_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """Blocks as JSON; slack_sdk's validators check each one on the way."""
    return [as_json(block) for block in blocks]


def mrkdwn(text: str) -> MarkdownTextObject:
    """Verbatim, so Slack does not auto-link names, channels or URLs in the text."""
    return MarkdownTextObject(text=text, verbatim=True)


def section(text: str) -> SectionBlock:
    return SectionBlock(text=mrkdwn(clip(text, SECTION_TEXT)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(clip(text, SECTION_TEXT))])


def short_date(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


def within_budget(lines: list[str], budget: int) -> tuple[list[str], int]:
    """As many whole lines as fit in ``budget`` characters, and how many were left out."""
    used = 0
    for index, line in enumerate(lines):
        used += len(line) + 1
        if used > budget:
            return lines[:index], len(lines) - index
    return lines, 0


def chunks(lines: list[str], limit: int = SECTION_TEXT) -> list[str]:
    """Lines joined into pieces of at most ``limit`` characters, breaking between lines."""
    pieces: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces


def shared_by(message: SlackMessage, user_id: str) -> SlackMessage:
    """``message`` as shared in a channel: the same, with a line naming who shared it."""
    sharer = context(messages.SHARED_BY.format(user_id=user_id)).to_dict()
    return SlackMessage(message.text, [*message.blocks, sharer])

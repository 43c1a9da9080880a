"""Sources as Slack shows them: ``/news sources`` and the failing-sources lines of
``/news status``. URLs, errors and warnings come from outside and are escaped."""

from slack_sdk.models.blocks import Block, HeaderBlock

from bot import messages
from bot.news.answers import SourceHealth, SourceList
from bot.news.sources.verbs import health_text
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    LIST_BUDGET,
    RenderOptions,
    SlackMessage,
    as_dicts,
    chunks,
    context,
    render,
    section,
    short_date,
    within_budget,
)
from bot.slack.limits import MESSAGE_TEXT, clip
from bot.slack.mrkdwn import escape


def source_line(source: SourceHealth) -> str:
    fetched = source.last_fetch_at
    return messages.SOURCE_ROW.format(
        id=source.id,
        kind=source.kind,
        url=escape(source.url),
        health=escape(clip(health_text(source, short_date), 600)),
        posts=source.posts,
        fetched=short_date(fetched) if fetched else messages.SOURCE_NEVER_FETCHED,
    )


def failing_blocks(sources: tuple[SourceHealth, ...]) -> list[Block]:
    """The lines ``/news status`` adds when sources keep failing."""
    if not sources:
        return []
    lines = [messages.STATUS_FAILING_SOURCES, *(f"• {source_line(s)}" for s in sources)]
    shown, _ = within_budget(lines, LIST_BUDGET // 4)
    return [section(piece) for piece in chunks(shown)]


@render.register
def _source_list(answer: SourceList, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    blocks: list[Block] = [HeaderBlock(text=messages.SOURCES_HEADING)]
    if not answer.sources:
        blocks.append(section(messages.SOURCES_EMPTY))
        return SlackMessage(messages.SOURCES_EMPTY, as_dicts(blocks))
    lines = [f"• {source_line(source)}" for source in answer.sources]
    shown, hidden = within_budget(lines, LIST_BUDGET)
    blocks += [section(piece) for piece in chunks(shown)]
    if hidden:
        blocks.append(context(messages.SOURCES_MORE.format(count=hidden)))
    blocks.append(context(messages.SOURCES_FOOTER))
    fallback = "\n".join(shown)
    return SlackMessage(clip(fallback, MESSAGE_TEXT), as_dicts(blocks))

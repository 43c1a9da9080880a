"""Short answers: notices, problems, help and the category table."""

from slack_sdk.models.blocks import Block

from bot import messages
from bot.news.answers import CategoryTable, Help, Notice, Problem
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


def _plain(text: str) -> SlackMessage:
    """A message of one piece of text. Answers may quote what a person typed, so it is escaped;
    the backticks and asterisks newsbot's own wording uses still format."""
    safe = escape(text)
    return SlackMessage(clip(safe, MESSAGE_TEXT), as_dicts([section(safe)]))


@render.register
def _notice(answer: Notice, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    return _plain(answer.text)


@render.register
def _problem(answer: Problem, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    return _plain(answer.text)


@render.register
def _help(answer: Help, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    lines = [f"`{escape(verb.usage)}`  {escape(verb.summary)}" for verb in answer.verbs]
    blocks: list[Block] = [section(escape(answer.intro))] if answer.intro else []
    blocks += [section(piece) for piece in chunks(within_budget(lines, LIST_BUDGET)[0])]
    return SlackMessage(escape(answer.intro or messages.VERB_HELP[1]), as_dicts(blocks))


@render.register
def _categories(answer: CategoryTable, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    if not answer.categories:
        return _plain(messages.NO_CATEGORIES)
    lines = [
        messages.CATEGORY_ROW.format(
            name=f"*{escape(stat.name)}*",
            count=stat.count,
            posts=messages.POST_COUNT_WORDS[stat.count != 1],
            date=short_date(stat.newest),
        )
        for stat in answer.categories
    ]
    shown, hidden = within_budget(lines, LIST_BUDGET)
    blocks: list[Block] = [section(piece) for piece in chunks(shown)]
    if hidden:
        blocks.append(context(messages.CATEGORIES_MORE.format(count=hidden)))
    names = ", ".join(stat.name for stat in answer.categories)
    fallback = f"{messages.CATEGORIES_HEADING}: {names}"
    return SlackMessage(clip(escape(fallback), MESSAGE_TEXT), as_dicts(blocks))

"""Search results: compact rows with the matching passage, the total, and "Next 5"."""

from slack_sdk.models.blocks import ActionsBlock, Block

from bot import messages
from bot.news.answers import SearchResults, SnippetPart
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    context,
    render,
)
from bot.slack.blocks.lists import page_buttons, post_row
from bot.slack.limits import MESSAGE_TEXT, clip
from bot.slack.mrkdwn import bold, escape

QUERY_SHOWN = 200


def snippet_mrkdwn(parts: tuple[SnippetPart, ...]) -> str:
    """The passage escaped, with the matched words in bold (their own asterisks dropped)."""
    return "".join(bold(part.text) if part.match else escape(part.text) for part in parts)


def total_words(answer: SearchResults) -> str:
    if answer.total_is_exact:
        return f"{answer.total:,}"
    return messages.SEARCH_TOTAL_AT_LEAST.format(total=answer.total)


@render.register
def _search_results(
    answer: SearchResults, options: RenderOptions = DEFAULT_OPTIONS
) -> SlackMessage:
    heading = messages.SEARCH_HEADING.format(query=clip(answer.query, QUERY_SHOWN))
    first = answer.page.offset + 1
    position = messages.SEARCH_POSITION.format(
        first=first, last=answer.page.offset + len(answer.found), total=total_words(answer)
    )
    blocks: list[Block] = [context(f"{bold(heading)} · {position}")]
    if not answer.found:
        blocks.append(context(messages.LIST_EMPTY))
    blocks += [post_row(found.post, snippet_mrkdwn(found.snippet)) for found in answer.found]
    buttons = page_buttons(answer.page, len(answer.found), options.shareable)
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return SlackMessage(_fallback(answer, heading), as_dicts(blocks))


def _fallback(answer: SearchResults, heading: str) -> str:
    titles = "; ".join(found.post.title for found in answer.found) or messages.LIST_EMPTY
    results = messages.RESULT_COUNT_WORDS[answer.total != 1 or not answer.total_is_exact]
    text = messages.SEARCH_FALLBACK.format(
        count=total_words(answer), results=results, query=answer.query, titles=titles
    )
    return clip(escape(text), MESSAGE_TEXT) if text else escape(heading)

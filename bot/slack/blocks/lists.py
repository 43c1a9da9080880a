"""Lists of posts: compact rows, where the list stands, and buttons for the next page."""

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock

from bot import messages
from bot.news.answers import Page, PostList
from bot.posts.model import Post
from bot.slack import actions
from bot.slack.blocks import sentiment
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    context,
    mrkdwn,
    render,
    short_date,
)
from bot.slack.blocks.cards import share_button
from bot.slack.limits import MESSAGE_TEXT, clip
from bot.slack.mrkdwn import bold, escape, link

ROW_TITLE = 250


@render.register
def _post_list(answer: PostList, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    if not answer.posts:
        return SlackMessage(messages.LIST_EMPTY, as_dicts([context(messages.LIST_EMPTY)]))
    blocks: list[Block] = [context(f"{bold(answer.heading)} · {position(answer)}")]
    blocks += [post_row(post) for post in answer.posts]
    buttons = page_buttons(answer.page, len(answer.posts), options.shareable)
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return SlackMessage(list_fallback(answer), as_dicts(blocks))


def position(answer: PostList) -> str:
    first, last = answer.page.offset + 1, answer.page.offset + len(answer.posts)
    if answer.page.total is None:
        return messages.LIST_RANGE.format(first=first, last=last)
    return messages.LIST_POSITION.format(first=first, last=last, total=answer.page.total)


def headline(post: Post) -> str:
    """The title as a bold link to the source (a plain bold title if it has none)."""
    title = clip(post.title, ROW_TITLE)
    if post.source_url:
        return f"*{link(post.source_url, title.replace('*', ''))}*"
    return bold(title)


def post_row(post: Post, detail: str = "") -> SectionBlock:
    """One post in a list: headline, then category, date, sentiment and id; ``detail`` (already
    mrkdwn) goes beneath, e.g. a search snippet."""
    facts = [", ".join(escape(name) for name in post.categories), short_date(post.published_at)]
    facts += [sentiment.describe(post), f"`{escape(post.id)}`"]
    lines = [headline(post), " · ".join(fact for fact in facts if fact)]
    if detail:
        lines.append(detail)
    return SectionBlock(
        text=mrkdwn(clip("\n".join(lines), 3000)),
        accessory=ButtonElement(
            text=messages.BUTTON_OPEN, action_id=actions.SHOW_POST, value=post.id
        ),
    )


def page_buttons(page: Page, shown: int, shareable: bool) -> list[ButtonElement]:
    buttons = []
    remaining = page.remaining(shown)
    if remaining > 0:
        buttons.append(
            ButtonElement(
                text=messages.BUTTON_NEXT.format(count=min(shown, remaining)),
                action_id=actions.NEXT_PAGE,
                value=actions.Rerun(page.command, page.offset + shown).encode(),
            )
        )
    if shareable:
        buttons.append(share_button(page.command, page.offset))
    return buttons


def list_fallback(answer: PostList) -> str:
    titles = "; ".join(post.title for post in answer.posts)
    text = messages.LIST_FALLBACK.format(heading=answer.heading, titles=titles)
    return clip(escape(text), MESSAGE_TEXT)

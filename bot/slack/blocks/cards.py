"""The TL;DR card: one post, as a channel or a person sees it."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    ImageBlock,
    ImageElement,
    SectionBlock,
)

from bot import messages
from bot.news.answers import PostCard
from bot.posts.model import Post
from bot.posts.text import is_web_link
from bot.slack import actions
from bot.slack.blocks import rich_text, sentiment
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    chunks,
    context,
    render,
    section,
    short_date,
)
from bot.slack.limits import (
    ACTIONS_ELEMENTS,
    BUTTON_TEXT,
    BUTTON_URL,
    HEADER_TEXT,
    IMAGE_ALT,
    IMAGE_URL,
    MESSAGE_TEXT,
    SECTION_TEXT,
    TOTAL_BLOCK_TEXT,
    clip,
)
from bot.slack.mrkdwn import escape

TLDR_BUDGET = 3000
BULLET_LENGTH = 600
# Room left for the header, context and buttons when the body fills the rest of a message.
BODY_BUDGET = TOTAL_BLOCK_TEXT - TLDR_BUDGET - 3000
MAX_LINK_BUTTONS = 2 * ACTIONS_ELEMENTS - 3


@render.register
def _card(answer: PostCard, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    return card_message(answer.post, full=answer.full, shareable=options.shareable)


def card_message(post: Post, full: bool = False, shareable: bool = False) -> SlackMessage:
    blocks: list[Block] = [HeaderBlock(text=clip(post.title, HEADER_TEXT)), context(byline(post))]
    blocks += _with_image(post, [section(piece) for piece in tldr_pieces(post)])
    if full:
        blocks += body_blocks(post)
    blocks += button_rows(post, full=full, shareable=shareable)
    return SlackMessage(fallback(post), as_dicts(blocks))


def fallback(post: Post) -> str:
    """The notification text: the title, categories and date, escaped."""
    text = messages.CARD_FALLBACK.format(
        title=post.title, categories=", ".join(post.categories), date=short_date(post.published_at)
    )
    return clip(escape(text), MESSAGE_TEXT)


def _with_image(post: Post, sections: list[SectionBlock]) -> list[Block]:
    """The post's image as the first TL;DR section's thumbnail, or a block of its own. Only an
    https URL (the parser keeps no other), which Slack fetches itself."""
    if post.image is None or len(post.image) > IMAGE_URL:
        return list(sections)
    alt = clip(post.title, IMAGE_ALT)
    if not sections:
        return [ImageBlock(image_url=post.image, alt_text=alt)]
    sections[0].accessory = ImageElement(image_url=post.image, alt_text=alt)
    return list(sections)


def byline(post: Post) -> str:
    parts = [
        " · ".join(f"*{escape(name)}*" for name in post.categories),
        messages.BYLINE_TAGS.format(tags=escape(", ".join(post.tags))) if post.tags else "",
        messages.BYLINE_AUTHOR.format(author=escape(post.author)) if post.author else "",
        short_date(post.published_at),
        sentiment.describe(post),
        f"`{escape(post.id)}`",
    ]
    return clip(" · ".join(part for part in parts if part), SECTION_TEXT)


def tldr_pieces(post: Post) -> list[str]:
    """The TL;DR bullets within their budget, with a count of any left out."""
    lines: list[str] = []
    used = 0
    for index, bullet in enumerate(post.tldr):
        line = "• " + clip(escape(bullet), BULLET_LENGTH)
        if used + len(line) > TLDR_BUDGET - 40:
            lines.append(messages.TLDR_MORE.format(count=len(post.tldr) - index))
            break
        lines.append(line)
        used += len(line) + 1
    return chunks(lines)


def body_blocks(post: Post) -> list[Block]:
    shown, shortened = rich_text.body_blocks(post.body, BODY_BUDGET)
    blocks: list[Block] = list(shown)
    if shortened:
        blocks.append(context(messages.BODY_SHORTENED))
    return blocks


def button_rows(post: Post, full: bool, shareable: bool) -> list[Block]:
    buttons = _own_buttons(post, full, shareable) + _source_buttons(post)
    return [
        ActionsBlock(elements=buttons[start : start + ACTIONS_ELEMENTS])
        for start in range(0, len(buttons), ACTIONS_ELEMENTS)
    ]


def _own_buttons(post: Post, full: bool, shareable: bool) -> list[ButtonElement]:
    buttons = []
    if post.source_url and _fits(post.source_url):
        buttons.append(
            ButtonElement(
                text=_read_source_label(post),
                url=post.source_url,
                style="primary",
                action_id=actions.link_action(0),
            )
        )
    if not full:
        buttons.append(
            ButtonElement(
                text=messages.BUTTON_FULL_SUMMARY,
                action_id=actions.FULL_SUMMARY,
                value=post.id,
            )
        )
    if shareable:
        buttons.append(share_button(f"show {post.id}"))
    return buttons


def _read_source_label(post: Post) -> str:
    if not post.source_label:
        return messages.BUTTON_READ_SOURCE
    return clip(messages.BUTTON_READ_AT.format(source=post.source_label), BUTTON_TEXT)


def share_button(command: str, offset: int = 0) -> ButtonElement:
    return ButtonElement(
        text=messages.BUTTON_SHARE,
        action_id=actions.SHARE,
        value=actions.Rerun(command, offset).encode(),
    )


def _source_buttons(post: Post) -> list[ButtonElement]:
    links = [source for source in post.sources if _fits(source.url)][:MAX_LINK_BUTTONS]
    return [
        ButtonElement(
            text=clip(source.label or source.url, BUTTON_TEXT),
            url=source.url,
            action_id=actions.link_action(index),
        )
        for index, source in enumerate(links, start=1)
    ]


def _fits(url: str) -> bool:
    return len(url) <= BUTTON_URL and is_web_link(url)

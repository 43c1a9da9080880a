"""Thread mode's parent message: a post's title, categories and sentiment, short enough to keep
a busy channel readable; its TL;DR card is the first reply."""

from slack_sdk.models.blocks import Block

from bot import messages
from bot.news.answers import ThreadParent
from bot.slack.blocks import sentiment
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    context,
    render,
    section,
)
from bot.slack.blocks.cards import fallback
from bot.slack.limits import HEADER_TEXT, clip
from bot.slack.mrkdwn import bold, escape


@render.register
def _parent(answer: ThreadParent, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    post = answer.post
    about = [" · ".join(f"*{escape(name)}*" for name in post.categories)]
    about.append(sentiment.describe(post))
    blocks: list[Block] = [
        section(bold(clip(post.title, HEADER_TEXT))),
        context(" · ".join(part for part in about if part)),
        context(messages.THREAD_PARENT_HINT),
    ]
    return SlackMessage(fallback(post), as_dicts(blocks))

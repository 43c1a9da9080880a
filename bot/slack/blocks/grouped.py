"""A burst of new posts for one channel, as one message instead of a card each."""

from slack_sdk.models.blocks import Block

from bot import messages
from bot.news.answers import NewPosts
from bot.slack.blocks.base import DEFAULT_OPTIONS, RenderOptions, SlackMessage, as_dicts, context
from bot.slack.blocks.base import render as render
from bot.slack.blocks.lists import post_row
from bot.slack.limits import MESSAGE_TEXT, clip
from bot.slack.mrkdwn import bold, escape


@render.register
def _new_posts(answer: NewPosts, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    count = len(answer.posts)
    heading = messages.NEW_POSTS_HEADING.format(count=count)
    blocks: list[Block] = [context(bold(heading))]
    blocks += [post_row(post) for post in answer.posts]
    titles = "; ".join(post.title for post in answer.posts)
    text = messages.NEW_POSTS_FALLBACK.format(count=count, titles=titles)
    return SlackMessage(clip(escape(text), MESSAGE_TEXT), as_dicts(blocks))

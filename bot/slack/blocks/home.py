"""The App Home tab: the newest headlines in each category."""

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot import messages
from bot.news.answers import HomePage, WorkspaceSubscriptions
from bot.slack.blocks.base import context, section
from bot.slack.blocks.lists import headline
from bot.slack.blocks.subscriptions import home_section
from bot.slack.limits import MAX_VIEW_BLOCKS
from bot.slack.mrkdwn import bold

# Room kept for sections other features add below the headlines.
HEADLINE_BLOCKS = MAX_VIEW_BLOCKS - 30


def home_blocks(page: HomePage) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=messages.HOME_HEADING)]
    if not page.headlines:
        return [*blocks, section(messages.HOME_EMPTY)]
    for group in page.headlines:
        if len(blocks) + 3 > HEADLINE_BLOCKS:
            break
        lines = [bold(group.category), *(f"• {headline(post)}" for post in group.posts)]
        blocks += [DividerBlock(), section("\n".join(lines))]
    return [*blocks, context(messages.HOME_HINT)]


def home_tab(page: HomePage, workspace: WorkspaceSubscriptions) -> dict[str, Any]:
    """The whole Home tab: the headlines, then the workspace's subscribed channels."""
    blocks = home_blocks(page)
    blocks += home_section(workspace, MAX_VIEW_BLOCKS - len(blocks))
    return home_view(blocks)


def home_view(blocks: list[Block]) -> dict[str, Any]:
    """The Home tab view; slack_sdk checks the 100-block limit."""
    return View(type="home", blocks=blocks).to_dict()

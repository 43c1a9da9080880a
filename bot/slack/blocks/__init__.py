"""Block Kit rendering: ``render(answer)`` turns any answer into a Slack message.

Importing this package registers every renderer; a feature adds its own module here and imports
it below.
"""

from bot.slack.blocks import (
    cards,
    explain,
    grouped,
    lists,
    notes,
    search,
    sources,
    subscriptions,
    threads,
)
from bot.slack.blocks.base import RenderOptions, SlackMessage, render, shared_by

__all__ = [
    "RenderOptions",
    "SlackMessage",
    "cards",
    "explain",
    "grouped",
    "lists",
    "notes",
    "render",
    "search",
    "shared_by",
    "sources",
    "subscriptions",
    "threads",
]

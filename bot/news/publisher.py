"""What newsbot needs from a chat platform to deliver news, and how a platform says it failed.

One protocol serves channel auto-posts, digests and direct messages, with one family of errors.
The news layer knows nothing of Slack: ``bot/slack/publisher.py`` implements ``Publisher`` on the
Web API.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.news.answers import DigestDelivery
from bot.posts import Post
from bot.store.deliveries import ChannelKey


class PublishError(Exception):
    """The platform refused or could not be reached. ``reason`` is its error code or a summary."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChannelUnavailableError(PublishError):
    """The channel cannot be posted to until a person acts: the bot was removed, the channel was
    archived or deleted. Retrying will not help; the channel is paused."""


class RateLimitedError(PublishError):
    """The platform asked to wait ``retry_after`` seconds; nothing was posted."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class MessageGoneError(PublishError):
    """A delivered message can no longer be updated (deleted, or too old to edit)."""


class UncertainOutcomeError(PublishError):
    """No answer came back (timeout, dropped connection): the message may or may not exist."""


class UnreachableError(UncertainOutcomeError):
    """The platform could not be reached or did not answer in time (no HTTP answer at all)."""


@dataclass(frozen=True, slots=True)
class ThreadPosted:
    """A delivery in thread mode: the parent message, and each post's card reply in its thread.
    A reply that could not be posted is missing from ``replies``, and ``error`` says why: the
    parent exists, so the delivery counts as made rather than risk posting it twice."""

    message_id: str
    replies: dict[str, str] = field(default_factory=dict)  # post id -> the reply's id
    error: str | None = None


class Publisher(Protocol):
    """Posting news to channels and people. Each method raises a ``PublishError`` on failure:
    ``ChannelUnavailableError`` when a person must act before the channel takes posts again."""

    async def post_card(self, channel: ChannelKey, post: Post) -> str:
        """Post one post's card; returns the message's id (Slack's ``ts``)."""
        ...

    async def post_group(self, channel: ChannelKey, posts: Sequence[Post]) -> str:
        """Post one message listing several new posts; returns the message's id."""
        ...

    async def update_card(self, channel: ChannelKey, message_id: str, post: Post) -> None:
        """Replace a delivered card with the post's current content."""
        ...

    async def update_group(
        self, channel: ChannelKey, message_id: str, posts: Sequence[Post]
    ) -> None:
        """Replace a delivered grouped message with the posts' current content."""
        ...

    async def post_thread(self, channel: ChannelKey, posts: Sequence[Post]) -> ThreadPosted:
        """Thread mode: a short parent (one post's title, category and sentiment, or the list
        of several posts), then each post's card as a reply in the parent's thread."""
        ...

    async def update_thread(
        self,
        channel: ChannelKey,
        message_id: str,
        posts: Sequence[Post],
        replies: Mapping[str, str],
    ) -> None:
        """Replace a thread-mode parent and each post's card reply (post id -> reply id)."""
        ...

    async def permalink(self, channel: ChannelKey, message_id: str) -> str:
        """A link to a delivered message."""
        ...

    async def find_delivered(
        self, channel: ChannelKey, post_ids: Sequence[str], since: datetime
    ) -> dict[str, str]:
        """Which of these posts this publisher already posted in the channel since ``since``,
        with each one's message id: asked after a send whose answer was lost."""
        ...

    async def send_digest(self, delivery: DigestDelivery) -> None:
        """Post a digest: its parent message, then each card as a reply in the parent's thread,
        at the channel's pace, waiting out any rate limit."""
        ...

    async def tell_user(self, team_id: str, user_id: str, text: str) -> None:
        """A direct message to a person."""
        ...

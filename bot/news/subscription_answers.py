"""Answers about subscriptions, as plain values the Slack layer renders."""

from dataclasses import dataclass, field
from datetime import datetime

from bot.news.answers import Answer, PostCard
from bot.posts import Post
from bot.store.channels import ChannelPause, DeliveryRecord
from bot.store.subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class ChannelSubscriptions(Answer):
    """``/news subscriptions``: what this channel gets, and whether it is paused. ``headline``
    says what just changed, when something did."""

    channel_id: str
    subscriptions: tuple[Subscription, ...]
    pause: ChannelPause | None = None
    headline: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelStatus(Answer):
    """``/news status``: subscriptions, the latest deliveries, and anything paused or failing."""

    channel_id: str
    subscriptions: tuple[Subscription, ...]
    pause: ChannelPause | None
    deliveries: tuple[DeliveryRecord, ...]


@dataclass(frozen=True, slots=True)
class SubscribeForm(Answer):
    """The subscription form (a modal in Slack) for a channel, offering these categories."""

    channel_id: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkspaceChannel:
    channel_id: str
    subscriptions: tuple[Subscription, ...]
    pause: ChannelPause | None = None


@dataclass(frozen=True, slots=True)
class WorkspaceSubscriptions(Answer):
    """Every subscribed or paused channel in a workspace, for the App Home."""

    channels: tuple[WorkspaceChannel, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DigestSummary(Answer):
    """A digest's parent message: the period's posts, listed; each one's card follows in the
    thread."""

    schedule: str  # as the subscription says it, e.g. "daily@09:00"
    time_zone: str
    since: datetime
    until: datetime
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class DigestDelivery:
    """Everything one due digest sends to one channel: the parent, then one reply per post."""

    team_id: str
    channel_id: str
    due_at: datetime
    parent: DigestSummary
    replies: tuple[PostCard, ...]

"""What the bot answers, as plain values: the Slack layer renders them, the news layer only
decides them."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.posts.model import Post
from bot.store.channels import ChannelPause, DeliveryRecord
from bot.store.subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class Answer:
    """Every answer the bot can give; the subclasses are what the Slack layer renders."""


@dataclass(frozen=True, slots=True)
class Notice(Answer):
    """A short sentence: a confirmation or a piece of information."""

    text: str


@dataclass(frozen=True, slots=True)
class Problem(Answer):
    """Something the person asked for cannot be done; ``text`` says why and what to try."""

    text: str


@dataclass(frozen=True, slots=True)
class VerbHelp:
    usage: str
    summary: str


@dataclass(frozen=True, slots=True)
class Help(Answer):
    verbs: tuple[VerbHelp, ...]
    intro: str | None = None


@dataclass(frozen=True, slots=True)
class PostCard(Answer):
    """One post as a TL;DR card; ``full`` adds the body."""

    post: Post
    full: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """Where a list of results sits in the whole: ``command`` fetches it again, at any offset.
    ``total`` is how far "Next" can go; ``None`` where counting would cost more than it tells,
    and then ``more`` says whether another page exists."""

    command: str
    offset: int
    total: int | None
    more: bool = False

    def remaining(self, shown: int) -> int:
        """How many results come after the ``shown`` ones (at least 1 if unknown but some)."""
        if self.total is None:
            return shown if self.more else 0
        return max(self.total - self.offset - shown, 0)


@dataclass(frozen=True, slots=True)
class PostList(Answer):
    heading: str
    posts: tuple[Post, ...]
    page: Page


@dataclass(frozen=True, slots=True)
class CategoryStat:
    name: str
    count: int
    newest: datetime


@dataclass(frozen=True, slots=True)
class CategoryTable(Answer):
    categories: tuple[CategoryStat, ...]


@dataclass(frozen=True, slots=True)
class Headlines:
    category: str
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class HomePage(Answer):
    """The App Home tab: the newest headlines in each category."""

    headlines: tuple[Headlines, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class NewPosts(Answer):
    """Several posts that arrived for a channel at once, announced in one message."""

    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class ThreadParent(Answer):
    """Thread mode's short parent message for one post: its card follows as the first reply."""

    post: Post


@dataclass(frozen=True, slots=True)
class SnippetPart:
    text: str
    match: bool  # the words the query matched, which Slack shows in bold


@dataclass(frozen=True, slots=True)
class Found:
    post: Post
    snippet: tuple[SnippetPart, ...]


@dataclass(frozen=True, slots=True)
class SearchResults(Answer):
    """One page of results. ``page.total`` is how far "Next" can go (the ranked results);
    ``total`` is how many posts match, at least, when not ``total_is_exact``."""

    query: str
    found: tuple[Found, ...]
    total: int
    total_is_exact: bool
    page: Page


# Subscriptions


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
    failing_sources: tuple["SourceHealth", ...] = ()  # sources that keep failing


@dataclass(frozen=True, slots=True)
class SubscribeForm(Answer):
    """The subscription form (a modal in Slack) for a channel, offering these categories."""

    channel_id: str
    categories: tuple[str, ...]


class Why(StrEnum):
    """Each answer ``/news why`` can give about one post in one channel."""

    DELIVERED = "delivered"
    UPDATING = "updating"  # delivered; the post was edited and the message is being updated
    SENDING = "sending"
    QUEUED = "queued"
    RATE_LIMITED = "rate_limited"
    RETRYING = "retrying"
    FAILED = "failed"
    PAUSED = "paused"
    NOT_SUBSCRIBED = "not_subscribed"
    EXCLUDED = "excluded"
    BELOW_SENTIMENT = "below_sentiment"
    NO_KEYWORD = "no_keyword"
    BEFORE_SUBSCRIBED = "before_subscribed"
    IN_DIGEST = "in_digest"
    DIGEST_PAST = "digest_past"
    NOT_PLANNED = "not_planned"
    NOT_QUEUED = "not_queued"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Whether a post reached a channel, or exactly why not: ``why`` names the case, the other
    fields hold the facts that case tells (from the delivery ledger and the subscription)."""

    why: Why
    when: datetime | None = None  # delivered, arrived, paused, due, next try
    since: datetime | None = None  # when the channel subscribed
    link: str | None = None  # the delivered message
    message_id: str | None = None
    who: str | None = None  # who paused the channel
    word: str | None = None  # the excluded word the post mentions
    error: str | None = None  # Slack's error
    attempts: int = 0
    subscription: Subscription | None = None  # the one that decided


@dataclass(frozen=True, slots=True)
class DeliveryExplained(Answer):
    """``/news why ID``: one post in one channel."""

    channel_id: str
    post: Post
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class WorkspaceChannel:
    channel_id: str
    subscriptions: tuple[Subscription, ...]
    pause: ChannelPause | None = None
    latest: tuple[DeliveryExplained, ...] = ()  # the newest posts it asks for, and what became


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


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One source as people may see it: its URL without credentials, and how it is doing."""

    id: int
    kind: str  # "git" or "feed"
    url: str
    posts: int
    last_fetch_at: datetime | None
    failing_since: datetime | None
    error: str | None  # why the last fetch failed
    warning: str | None  # what the last good fetch skipped


@dataclass(frozen=True, slots=True)
class SourceList(Answer):
    """``/news sources``: every source and its health, and the posts directory."""

    sources: tuple[SourceHealth, ...]

"""What the bot answers, as plain values: the Slack layer renders them, the news layer only
decides them."""

from dataclasses import dataclass, field
from datetime import datetime

from bot.posts.model import Post


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

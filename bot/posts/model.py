"""The post value: what one news-summary file says, after every format rule has been applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

UNCATEGORIZED = "Uncategorized"


@dataclass(frozen=True, slots=True)
class Source:
    """One link from a post's ``### Sources`` list."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Post:
    """A news summary read from a markdown file with YAML front matter."""

    id: str
    title: str
    categories: tuple[str, ...]
    published_at: datetime  # always timezone-aware, in UTC
    source_url: str | None
    sentiment_score: float | None
    sentiment_label: str | None
    tldr: tuple[str, ...]
    body: str
    sources: tuple[Source, ...]
    content_hash: str
    # Jekyll's conventions (post-format.md): topics beside the categories, the source link's
    # label (``source:`` or the link's host), who wrote it, and an https image.
    tags: tuple[str, ...] = ()
    source_label: str | None = None
    author: str | None = None
    image: str | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        """Categories, then tags: what a subscription or ``latest TOPIC`` can name."""
        return (*self.categories, *self.tags)

    def record(self) -> PostRecord:
        sources = tuple((source.label, source.url) for source in self.sources)
        return PostRecord(
            *(self.id, self.title, self.categories, self.published_at, self.source_url),
            *(self.sentiment_score, self.sentiment_label, self.tldr, self.body, sources),
            *(self.content_hash, self.tags, self.source_label, self.author, self.image),
        )


class PostRecord(NamedTuple):
    """A Post as one tuple of plain values, each source a (label, url) pair: what the parser
    builds, and what ingestion's worker processes send back, as it pickles several times cheaper
    than the objects."""

    id: str
    title: str
    categories: tuple[str, ...]
    published_at: datetime
    source_url: str | None
    sentiment_score: float | None
    sentiment_label: str | None
    tldr: tuple[str, ...]
    body: str
    sources: tuple[tuple[str, str], ...]
    content_hash: str
    tags: tuple[str, ...] = ()
    source_label: str | None = None
    author: str | None = None
    image: str | None = None

    def post(self) -> Post:
        sources = tuple(Source(label, url) for label, url in self.sources)
        return Post(*self[:9], sources, *self[10:])


@dataclass(frozen=True, slots=True)
class ParsedPost:
    """A post, and why each field that could not be used was dropped."""

    post: Post
    warnings: tuple[str, ...] = ()

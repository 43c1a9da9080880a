"""The post value: what one news-summary file says, after every format rule has been applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Self

UNCATEGORIZED = "Uncategorized"


class Compact:
    """Pickles a slotted value as its constructor arguments: about half the cost of the default,
    which matters when ingestion sends thousands of posts back from its worker processes."""

    __slots__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Source(Compact):
    """One link from a post's ``### Sources`` list."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Post(Compact):
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


@dataclass(frozen=True, slots=True)
class ParsedPost(Compact):
    """A post, and why each field that could not be used was dropped."""

    post: Post
    warnings: tuple[str, ...] = ()

"""What a feed fetch gives back, and the one way it fails. The fetching itself (HTTP) is the
runtime's (``bot.runtime.feed_http``): the news layer knows no HTTP client."""

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit


class FetchError(Exception):
    """The feed could not be fetched; the message is one line."""


@dataclass(frozen=True, slots=True)
class Document:
    """A feed's answer: ``body`` is None when it has not changed since the validators given."""

    body: bytes | None
    url: str  # where it was found, after redirects
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class FetchDocument(Protocol):
    """Fetch ``url``, conditionally on the validators of the last answer; raises FetchError."""

    def __call__(
        self, url: str, etag: str | None, last_modified: str | None
    ) -> Awaitable[Document]: ...


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)

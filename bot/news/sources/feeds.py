"""Reading a feed document into entries: RSS and Atom through feedparser, JSON Feed (which is
plain JSON with a published shape) through the standard library.

An entry keeps its identity by its id (``guid``, Atom ``id``, JSON Feed ``id``), or by its link
when it has none; an entry with neither cannot be told apart from the others and is skipped.
"""

import calendar
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot import messages
from bot.news.sources.documents import is_http_url

JSON_FEED_PREFIX = "https://jsonfeed.org/version/"
_TAG = re.compile(r"<[^>]*>")


class FeedError(Exception):
    """The document is not a feed newsbot can read; the message is one line."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # the entry's identity: its id, or its link
    title: str
    link: str | None
    published: datetime | None
    tags: tuple[str, ...]
    summary: str  # HTML (text is HTML too, once escaped)
    content: str  # HTML; empty when the feed gives only a summary


@dataclass(frozen=True, slots=True)
class Feed:
    entries: tuple[FeedEntry, ...]
    problems: tuple[str, ...]  # one line each: entries skipped, a document read leniently


def read_feed(body: bytes, url: str, content_type: str = "") -> Feed:
    if _looks_like_json(body, content_type):
        return _json_feed(body, url)
    return _xml_feed(body, url, content_type)


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] == b"{"


# --- RSS and Atom ---------------------------------------------------------------------------


def _xml_feed(body: bytes, url: str, content_type: str) -> Feed:
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    problems: list[str] = []
    if parsed.get("bozo") and _is_syntax_error(parsed.get("bozo_exception")):
        detail = _one_line(parsed.get("bozo_exception"))
        if not parsed.entries:
            raise FeedError(messages.FEED_MALFORMED.format(detail=detail))
        problems.append(messages.FEED_READ_LENIENTLY.format(detail=detail))
    if not parsed.get("version"):
        raise FeedError(_not_a_feed(body))
    entries = _entries((_xml_entry(raw, url) for raw in parsed.entries), problems)
    return Feed(entries, tuple(problems))


def _is_syntax_error(error: object) -> bool:
    # feedparser reports an encoding it overrode as "bozo" too; that one is harmless.
    return error is not None and not isinstance(
        error, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType
    )


def _not_a_feed(body: bytes) -> str:
    start = body.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return messages.FEED_IS_HTML
    return messages.FEED_UNKNOWN_FORMAT


def _xml_entry(raw: Mapping[str, Any], base: str) -> "FeedEntry | str":
    link = _absolute(raw.get("link"), base)
    content = raw.get("content") or []
    moment = raw.get("published_parsed") or raw.get("updated_parsed")
    return _entry(
        key=str(raw.get("id") or "") or link or "",
        title=_text_title(raw),
        link=link,
        published=datetime.fromtimestamp(calendar.timegm(moment), UTC) if moment else None,
        tags=tuple(str(tag.get("term") or tag.get("label") or "") for tag in raw.get("tags", [])),
        summary=str(raw.get("summary") or ""),
        content=str(content[0].get("value") or "") if content else "",
    )


def _text_title(raw: Mapping[str, Any]) -> str:
    """The title as text: an HTML title (Atom ``type="html"``) loses its tags."""
    title = str(raw.get("title") or "")
    detail = raw.get("title_detail") or {}
    if "html" in str(detail.get("type", "")):
        return html.unescape(_TAG.sub("", title))
    return title


# --- JSON Feed ------------------------------------------------------------------------------


def _json_feed(body: bytes, url: str) -> Feed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(messages.FEED_BAD_JSON.format(detail=_one_line(error))) from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_PREFIX
    ):
        raise FeedError(messages.FEED_UNKNOWN_FORMAT)
    items = document.get("items")
    raw_items = (
        [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    )
    base = str(document.get("home_page_url") or url)
    problems: list[str] = []
    entries = _entries((_json_entry(item, base) for item in raw_items), problems)
    return Feed(entries, tuple(problems))


def _json_entry(item: Mapping[str, Any], base: str) -> "FeedEntry | str":
    link = _absolute(item.get("url") or item.get("external_url"), base)
    text = item.get("content_text")
    content = str(item.get("content_html") or "") or (_text_as_html(text) if text else "")
    tags = item.get("tags")
    return _entry(
        key=str(item.get("id") or "") or link or "",
        title=str(item.get("title") or ""),
        link=link,
        published=_rfc3339(item.get("date_published") or item.get("date_modified")),
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
        summary=str(item.get("summary") or ""),
        content=content,
    )


def _rfc3339(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text_as_html(text: object) -> str:
    # Plain text stays text: every character escaped before it is read as HTML.
    return "".join(f"<p>{escape(part)}</p>" for part in str(text).split("\n\n"))


# --- both -----------------------------------------------------------------------------------


def _entry(**fields: Any) -> "FeedEntry | str":
    """The entry, or why it is skipped."""
    title, key = fields["title"].strip(), fields["key"].strip()
    fields |= {"title": title, "key": key, "tags": tuple(t for t in fields["tags"] if t.strip())}
    if not key:
        return messages.FEED_ENTRY_NO_IDENTITY.format(title=title[:80] or "(untitled)")
    if not title and not (fields["summary"] or fields["content"]).strip():
        return messages.FEED_ENTRY_EMPTY.format(key=key[:200])
    return FeedEntry(**fields)


def _entries(results: Iterable["FeedEntry | str"], problems: list[str]) -> tuple[FeedEntry, ...]:
    entries: dict[str, FeedEntry] = {}
    for result in results:
        if isinstance(result, str):
            problems.append(result)
        elif result.key not in entries:  # a feed listing one entry twice: the first counts
            entries[result.key] = result
            problems.extend(_gaps(result))
    return tuple(entries.values())


def _gaps(entry: FeedEntry) -> list[str]:
    """What an entry lacks but can do without, one line each."""
    gaps = []
    if not entry.title:
        gaps.append(messages.FEED_ENTRY_NO_TITLE.format(key=entry.key[:200]))
    if entry.link is None:
        gaps.append(messages.FEED_ENTRY_NO_LINK.format(title=entry.title[:80] or entry.key[:80]))
    return gaps


def _absolute(link: object, base: str) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    return absolute if is_http_url(absolute) else None


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:200]

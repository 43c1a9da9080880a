"""A feed entry as a post file in its source's directory, which ingestion then reads like any
other post.

The file's name is ``YYYY-MM-DD-title-slug-KEY.md``: KEY is a digest of the entry's identity,
so the entry finds its file again however its title or date change, and the post id (which a
Jekyll-style name gives) never changes either. An edited entry rewrites its file, so its post is
updated and its delivered messages with it; an entry seen before is never a new post.

The entry's HTML is converted to markdown text by html2text, which reads it and never runs or
renders it; feedparser has already dropped scripts and resolved relative links.
"""

import hashlib
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import html2text
import yaml

from bot.news.sources.feeds import FeedEntry
from bot.posts.text import slugify

KEY_LENGTH = 10
SLUG_LENGTH = 50
BODY_LIMIT = 200_000  # characters; a post file may not pass 1 MiB
TLDR_SENTENCES = 2
TITLE_FROM_TEXT = 80
TITLE_LIMIT = 500  # a longer title is cut: the card shows far less anyway
TAGS_LIMIT = 20
_BLANK_LINES = re.compile(r"\n\s*\n(?:\s*\n)+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=\S)")
_NAME = re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}-.*-(?P<key>[0-9a-f]{{{KEY_LENGTH}}})\.md$")


def entry_key(entry: FeedEntry) -> str:
    return hashlib.sha256(entry.key.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def existing_names(directory: Path) -> dict[str, str]:
    """Each entry file already in ``directory``, by its key."""
    if not directory.is_dir():
        return {}
    names = (entry.name for entry in os.scandir(directory))
    return {found["key"]: found.group(0) for found in map(_NAME.match, names) if found}


def file_name(entry: FeedEntry, key: str, today: datetime) -> str:
    day = (entry.published or today).astimezone(UTC)
    slug = slugify(entry.title)[:SLUG_LENGTH].strip("-") or "entry"
    return f"{day:%Y-%m-%d}-{slug}-{key}.md"


def write_entries(
    directory: Path, entries: Iterable[FeedEntry], category: str | None, now: datetime
) -> int:
    """Write each entry's file where its text changed; how many files were written."""
    directory.mkdir(parents=True, exist_ok=True)
    names = existing_names(directory)
    written = 0
    for entry in entries:
        key = entry_key(entry)
        path = directory / (names.get(key) or file_name(entry, key, now))
        written += _write_if_changed(path, post_text(entry, category))
    return written


def _write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False  # left alone, so ingestion skips it on size and time
    except FileNotFoundError:
        pass
    partial = path.with_name(f".{path.name}.partial")  # hidden: never read as a post
    partial.write_bytes(data)
    partial.replace(path)
    return True


def post_text(entry: FeedEntry, category: str | None) -> str:
    """The post file for ``entry``: front matter, then its content as markdown."""
    summary_text = _plain(entry.summary or entry.content)
    body = _markdown(entry.content or entry.summary, entry.link or "")[:BODY_LIMIT]
    fields: dict[str, Any] = {
        "title": _cut(entry.title, TITLE_LIMIT) or _cut(summary_text, TITLE_FROM_TEXT),
        "categories": [category] if category else list(entry.tags[:TAGS_LIMIT]),
    }
    if entry.published is not None:
        fields["date"] = f"{entry.published.astimezone(UTC):%Y-%m-%d %H:%M:%S} +0000"
    if entry.link:
        fields["source_url"] = entry.link
    fields["tldr"] = first_sentences(summary_text, TLDR_SENTENCES)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000)
    paragraphs = _BLANK_LINES.sub("\n\n", body).strip()
    return f"---\n{front}---\n\n{paragraphs}\n"


def first_sentences(text: str, count: int) -> list[str]:
    paragraphs = " ".join(text.split())
    sentences = [part.strip() for part in _SENTENCE_END.split(paragraphs) if part.strip()]
    return [_cut(sentence, 300) for sentence in sentences[:count]]


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _converter(plain: bool, base: str = "") -> html2text.HTML2Text:
    converter = html2text.HTML2Text(baseurl=base)  # relative links made absolute
    converter.body_width = 0  # no hard wrapping: Slack wraps
    converter.ignore_images = True
    converter.ignore_links = plain
    converter.ignore_emphasis = plain
    converter.unicode_snob = True
    return converter


def _markdown(html: str, base: str) -> str:
    return _converter(plain=False, base=base).handle(html)


def _plain(html: str) -> str:
    text = _converter(plain=True).handle(html)
    return re.sub(r"^\s*(?:[#>*+-]+|\d+\.)\s+", "", text, flags=re.MULTILINE)

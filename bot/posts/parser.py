"""Reading a file into a Post: bytes, then text, then front matter, then fields."""

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from bot import messages
from bot.posts import aliases, fields, front_matter
from bot.posts.errors import PostError
from bot.posts.files import MAX_POST_BYTES, POST_SUFFIXES, read_post_bytes
from bot.posts.loader import FrontMatterLoader
from bot.posts.model import ParsedPost, PostRecord
from bot.posts.sources import read_sources, split_sources
from bot.posts.text import kind_of, slugify, squash

_JEKYLL_NAME = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
_YAML = YAMLHandler()
_BOUNDARY = YAMLHandler.FM_BOUNDARY  # a line of three dashes or more (multi-line pattern)


def read_post(path: Path) -> ParsedPost:
    """Read and parse one file; every failure is a PostError with a reason for a person."""
    return parse_post(read_post_bytes(path), path.name)


def parse_post(data: bytes, filename: str, content_hash: str | None = None) -> ParsedPost:
    """Parse a post's raw bytes; ``filename`` supplies the Jekyll id and date when it has them.
    A caller that has already hashed ``data`` (sha256, hex) passes ``content_hash``."""
    record, warnings = parse_record(data, filename, content_hash)
    return ParsedPost(record.post(), warnings)


def parse_record(
    data: bytes, filename: str, content_hash: str | None = None
) -> tuple[PostRecord, tuple[str, ...]]:
    """``parse_post``, giving the post as a PostRecord (as ingestion's workers send it on)."""
    if len(data) > MAX_POST_BYTES:
        raise PostError(messages.TOO_LARGE.format(size=len(data), limit=MAX_POST_BYTES))
    meta, body = _front_matter(_decode(data))
    warnings: list[str] = []
    digest = content_hash or hashlib.sha256(data).hexdigest()
    record = _build_record(meta, body, filename, digest, warnings)
    return record, tuple(warnings)


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise PostError(messages.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        raise PostError(messages.NOT_UTF8.format(byte=data[offset], offset=offset)) from error


def _front_matter(text: str) -> tuple[dict[Any, Any], str]:
    text = text.strip()
    if not _YAML.detect(text):
        raise PostError(messages.NO_FRONT_MATTER)
    try:
        raw, body = split_front_matter(text)
    except ValueError as error:
        raise PostError(messages.UNCLOSED_FRONT_MATTER) from error
    meta = _load_yaml(raw)
    if meta is None:
        raise PostError(messages.NO_TITLE)
    if not isinstance(meta, dict):
        raise PostError(messages.NOT_A_MAPPING.format(kind=kind_of(meta)))
    return meta, body


def split_front_matter(text: str) -> tuple[str, str]:
    """``YAMLHandler.split``: the text between the first two boundary lines, and what follows;
    ValueError without a second one. The handler's own pattern, tried only where a line starts
    with a dash rather than at every character, as ``re.split`` does: half the cost."""
    opening = _BOUNDARY.match(text)
    if opening is None:
        raise ValueError("the text does not start with a boundary line")
    searched = opening.end()
    while (newline := text.find("\n-", searched)) >= 0:
        closing = _BOUNDARY.match(text, newline + 1)
        if closing is not None:
            return text[opening.end() : closing.start()], text[closing.end() :]
        searched = newline + 1
    raise ValueError("no closing boundary line")


def _load_yaml(raw: str) -> object:
    # Front matter of the usual shape is read without PyYAML, to the same value; the fast path
    # declines anything else, which PyYAML then reads or reports as before.
    fast = front_matter.load(raw)
    if fast is not None:
        return fast
    try:
        return _YAML.load(raw, Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problem = squash(error.problem or error.context or "unreadable")
        if mark is None:
            raise PostError(messages.BAD_YAML.format(problem=problem)) from error
        # The YAML starts after the opening '---' on the file's first line; marks count from 0.
        line = mark.line + 1
        raise PostError(messages.BAD_YAML_AT.format(line=line, problem=problem)) from error
    except RecursionError as error:
        raise PostError(messages.DEEP_YAML) from error
    except Exception as error:
        # PyYAML's constructors raise assorted built-in errors on odd input (ValueError for
        # 2026-02-30, AttributeError for an offset with seconds): all mean "unreadable YAML".
        raise PostError(messages.BAD_YAML.format(problem=squash(str(error))[:120])) from error


def _filename_parts(filename: str) -> tuple[date | None, str | None]:
    """The date and id a Jekyll-style name ``YYYY-MM-DD-slug.md`` gives, else (None, None)."""
    stem = filename.rsplit(".", 1)[0] if filename.lower().endswith(POST_SUFFIXES) else filename
    found = _JEKYLL_NAME.match(stem)
    if found is None:
        return None, None
    try:
        day = date.fromisoformat(found["day"])
    except ValueError:
        return None, None
    slug = slugify(found["slug"])
    return day, f"{found['day']}-{slug}" if slug else None


def _post_id(title: str, filename_id: str | None) -> str:
    if filename_id:
        return filename_id
    slug = slugify(title)
    if not slug:
        raise PostError(messages.TITLE_HAS_NO_WORDS.format(title=title[:80]))
    return slug


def _field(meta: dict[Any, Any], field: str) -> Any:
    """The value of ``field`` under the first of its names (``aliases``) the front matter has."""
    for name in aliases.names(field):
        value = meta.get(name)
        if value is not None:
            return value
    return None


def _source(meta: dict[Any, Any], warnings: list[str]) -> tuple[str | None, str | None]:
    """The source link and its label. A ``source:`` that is itself a link is the link."""
    source = _field(meta, "source")
    value = _field(meta, "source_url")
    if value is None and isinstance(source, str) and source.startswith(("http://", "https://")):
        value, source = source, None
    url = fields.link("source_url", value, warnings)
    return url, fields.source_label(source, url, warnings)


def _build_record(
    meta: dict[Any, Any], body: str, filename: str, content_hash: str, warnings: list[str]
) -> PostRecord:
    title = fields.title(_field(meta, "title"))
    filename_day, filename_id = _filename_parts(filename)
    text, source_lines = split_sources(body)
    categories = fields.categories(_field(meta, "category"), _field(meta, "categories"))
    source_url, source_label = _source(meta, warnings)
    return PostRecord(
        id=_post_id(title, filename_id),
        title=title,
        categories=categories,
        published_at=fields.published_at(_field(meta, "date"), filename_day),
        source_url=source_url,
        sentiment_score=fields.sentiment_score(_field(meta, "sentiment_score"), warnings),
        sentiment_label=fields.optional_text(
            "sentiment_label", _field(meta, "sentiment_label"), warnings
        ),
        tldr=fields.tldr(_field(meta, "tldr"), warnings),
        body=text,
        sources=read_sources(source_lines, warnings),
        content_hash=content_hash,
        tags=fields.tags(_field(meta, "tags"), categories),
        source_label=source_label,
        author=fields.author(_field(meta, "author"), warnings),
        image=fields.image(_field(meta, "image"), warnings),
    )

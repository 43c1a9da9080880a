"""Front-matter fields: each function turns one raw YAML value into the value a Post holds.

A field that is required and unusable raises PostError; an optional one that is unusable is dropped
and a warning is appended to ``warnings``.
"""

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from bot import messages
from bot.posts.errors import PostError
from bot.posts.model import UNCATEGORIZED
from bot.posts.text import is_web_link, kind_of, squash

SCORE_RANGE = (0.0, 10.0)
_DATE_TEXT = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<rest>\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def title(value: object) -> str:
    if value is None:
        raise PostError(messages.NO_TITLE)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PostError(messages.TITLE_NOT_TEXT.format(kind=kind_of(value)))
    text = squash(str(value))
    if not text:
        raise PostError(messages.NO_TITLE)
    return text


def _category_names(value: object, split_words: bool) -> Iterable[str]:
    if isinstance(value, str):
        return value.split() if split_words else [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int | float)]
    return []


def _unique(names: Iterable[str], taken: Iterable[str] = ()) -> tuple[str, ...]:
    """Names squashed, without repeats ignoring case, nor any of ``taken``."""
    seen: dict[str, str] = dict.fromkeys((name.casefold() for name in taken), "")
    for name in map(squash, names):
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(name for name in seen.values() if name)


def categories(category: object, categories_: object) -> tuple[str, ...]:
    """``category: X`` is one name; Jekyll's ``categories:`` is a list or space-separated words."""
    names = [*_category_names(category, False), *_category_names(categories_, True)]
    return _unique(names) or (UNCATEGORIZED,)


def tags(value: object, categories_: tuple[str, ...]) -> tuple[str, ...]:
    """Jekyll's ``tags:``, a list or space-separated words; a tag that is also one of the post's
    categories is that category already."""
    return _unique(_category_names(value, True), categories_)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _parse_date_text(text: str) -> datetime | None:
    found = _DATE_TEXT.match(text.strip())
    if found is None:
        return None
    iso = found["day"]
    if found["hour"] is not None:
        iso += f"T{int(found['hour']):02d}:{found['rest']}"
    zone = found["zone"]
    if zone and zone.upper() != "Z":
        iso += f"{zone[:3]}:{zone[-2:]}"
    return datetime.fromisoformat(iso)


def published_at(value: object, filename_day: date | None) -> datetime:
    """The post's moment in UTC; a date without a time is midnight UTC, as is a date-less post's
    filename date. A time without an offset is taken as UTC."""
    if value is None or value == "":
        if filename_day is None:
            raise PostError(messages.NO_DATE)
        value = filename_day
    try:
        if isinstance(value, datetime):
            return _as_utc(value)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        if isinstance(value, str) and (parsed := _parse_date_text(value)) is not None:
            return _as_utc(parsed)
    except (ValueError, OverflowError):
        pass
    raise PostError(messages.BAD_DATE.format(value=str(value)[:80]))


def _score_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def sentiment_score(value: object, warnings: list[str]) -> float | None:
    if value is None or value == "":
        return None
    try:
        score = _score_number(value)
    except OverflowError:
        score = math.inf
    shown = str(value)[:40]
    if score is None:
        warnings.append(messages.SCORE_UNREADABLE.format(value=shown))
        return None
    low, high = SCORE_RANGE
    if not (math.isfinite(score) and low <= score <= high):
        warnings.append(messages.SCORE_OUT_OF_RANGE.format(value=shown, low=low, high=high))
        return None
    return score


def optional_text(field: str, value: object, warnings: list[str]) -> str | None:
    if isinstance(value, str):  # by far the most common case, so tested first
        return squash(value) or None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        warnings.append(messages.IGNORED_FIELD.format(field=field, kind=kind_of(value)))
        return None
    return squash(str(value)) or None


def tldr(value: object, warnings: list[str]) -> tuple[str, ...]:
    """A list of bullets; a single string is one bullet."""
    items = value if isinstance(value, list) else [value]
    bullets = [optional_text("a tldr item", item, warnings) for item in items]
    return tuple(bullet for bullet in bullets if bullet)


def author(value: object, warnings: list[str]) -> str | None:
    """A name, a list of names, or Jekyll's ``{name: …}`` mapping."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        found = [optional_text("an author", item, warnings) for item in value]
        return ", ".join(name for name in found if name) or None
    return optional_text("author", value, warnings)


def image(value: object, warnings: list[str]) -> str | None:
    """An https URL, or jekyll-seo-tag's ``{path: …}``; anything else is not shown."""
    if isinstance(value, dict):
        value = value.get("path") or value.get("url")
    url = optional_text("image", value, warnings)
    if url is None or (url[:8].lower() == "https://" and is_web_link(url)):
        return url
    warnings.append(messages.IMAGE_NOT_HTTPS.format(value=url[:80]))
    return None


def source_label(value: object, url: str | None, warnings: list[str]) -> str | None:
    """``source:``, else the link's host without ``www.``."""
    label = optional_text("source", value, warnings)
    if label or url is None:
        return label
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def link(field: str, value: object, warnings: list[str]) -> str | None:
    url = optional_text(field, value, warnings)
    if url is None or is_web_link(url):
        return url
    warnings.append(messages.NOT_A_LINK.format(field=field, value=url[:80]))
    return None

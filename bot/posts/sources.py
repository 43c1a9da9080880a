"""The ``### Sources`` section of a post body: split it off and read its links."""

import re

from bot import messages
from bot.posts.text import is_web_link, squash

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}\s")
_SOURCES_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]*sources[ \t]*:?[ \t]*#*[ \t]*$", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<item>.+)$")
# Written as unrolled loops (normal* (special normal*)*), which Python's engine runs fastest.
_MARKDOWN_LINK = re.compile(
    r"\[(?P<label>[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]"
    r"\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_BARE_LINK = re.compile(r"<?(?P<url>[a-z][a-z0-9+.-]*://[^\s<>]+)>?", re.IGNORECASE)


def split_sources(body: str) -> tuple[str, list[str]]:
    """The body without its Sources section, and that section's lines."""
    lines = body.splitlines()
    start = _first_heading(lines, 0, _SOURCES_HEADING)
    if start is None:
        return _trimmed(body), []
    end = _first_heading(lines, start + 1, _HEADING)
    if end is None:
        end = len(lines)
    kept = lines[:start] + lines[end:]
    return _trimmed("\n".join(kept)), lines[start + 1 : end]


def _trimmed(body: str) -> str:
    """Without blank lines around it; the first line keeps its indentation, which in markdown
    can make it code."""
    body = body.rstrip()
    if body[:1] not in (" ", "\t", "\n", "\r"):
        return body
    return _LEADING_BLANK_LINES.sub("", body)


def _first_heading(lines: list[str], begin: int, pattern: re.Pattern[str]) -> int | None:
    """The index of the first line from ``begin`` that ``pattern`` matches. Every heading holds a
    '#', and looking for one first is several times cheaper than the pattern on each line."""
    for index in range(begin, len(lines)):
        line = lines[index]
        if "#" in line and pattern.match(line):
            return index
    return None


def _item_link(item: str) -> tuple[str, str] | None:
    if found := _MARKDOWN_LINK.search(item):
        return squash(found["label"]), found["url"]
    if found := _BARE_LINK.search(item):
        return "", found["url"].rstrip(".,;")
    return None


def read_sources(lines: list[str], warnings: list[str]) -> tuple[tuple[str, str], ...]:
    """Each list item's first link as (label, url); a link without a label is labelled with its
    URL."""
    sources: list[tuple[str, str]] = []
    for line in lines:
        item = _LIST_ITEM.match(line)
        link = _item_link(item["item"]) if item else None
        if link is None:
            continue
        label, url = link
        if not is_web_link(url):
            warnings.append(messages.NOT_A_LINK.format(field="source link", value=url[:80]))
            continue
        sources.append((label or url, url))
    return tuple(sources)

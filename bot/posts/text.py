"""Small text rules shared by the post fields: whitespace, slugs, links."""

import re
import unicodedata
from urllib.parse import urlsplit

_NON_WORD = re.compile(r"[\W_]+")
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f<>\"]")
MAX_SLUG_LENGTH = 80


def squash(text: str) -> str:
    """Collapse runs of whitespace (YAML folding, stray newlines) into single spaces."""
    return " ".join(text.split())


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; accents folded, other scripts kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = _NON_WORD.sub("-", base.casefold()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def is_web_link(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only links newsbot passes on."""
    if not url or _UNSAFE_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def kind_of(value: object) -> str:
    """How to name a YAML value's type to a person: 'a list', 'a number'."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"

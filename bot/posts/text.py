"""Small text rules shared by the post fields: whitespace, slugs, links."""

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
# Control characters (terminal escape sequences among them) and bidirectional overrides, which
# could make a title repaint a terminal or display as something it is not.
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Scheme, optional user info, a host (with optional port), then path, query or fragment;
# no whitespace, control characters, quotes or angle brackets anywhere.
_WEB_LINK = re.compile(
    r"https?://(?:[^@/?#\x00-\x20\x7f<>\"]*@)?"
    r"(?:[^@/?#:\[\]\x00-\x20\x7f<>\"]+|\[[0-9a-f:.]+\])(?::\d*)?"
    r"(?:[/?#][^\x00-\x20\x7f<>\"]*)?",
    re.IGNORECASE,
)
MAX_SLUG_LENGTH = 80
# A file name has at most 255 bytes on common file systems. A slug must fit in a post's file name
# ``YYYY-MM-DD-SLUG.md``, so it is cut to 240 bytes of UTF-8 too (80 four-byte characters would
# make 320). Only slugs that could never have been a file name are changed by this.
MAX_FILE_NAME_BYTES = 255
MAX_SLUG_BYTES = MAX_FILE_NAME_BYTES - len("YYYY-MM-DD-.md") - 1


def squash(text: str) -> str:
    """One line of inert text: unsafe characters become spaces, and runs of whitespace (YAML
    folding, stray newlines) collapse into single spaces."""
    if not text.isprintable():
        text = UNSAFE_CHARACTERS.sub(" ", text)
    elif "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Printable text holds no unsafe characters and no whitespace but the plain space, so
        # this is already one line with single spaces: the common case, worth the shortcut.
        return text
    return " ".join(text.split())


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; accents folded, other scripts kept as they are."""
    if text.isascii():
        return _NON_WORD.sub("-", text.lower()).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = _NON_WORD.sub("-", base.casefold()).strip("-")[:MAX_SLUG_LENGTH]
    if len(slug) * 4 > MAX_SLUG_BYTES:  # UTF-8 takes at most four bytes a character
        slug = slug.encode()[:MAX_SLUG_BYTES].decode(errors="ignore")
    return slug.rstrip("-")


def is_web_link(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only links newsbot passes on."""
    return _WEB_LINK.fullmatch(url) is not None


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

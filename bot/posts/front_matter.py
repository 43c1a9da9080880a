"""Reading front matter of the shape posts use without PyYAML, giving exactly what PyYAML gives.

Posts' front matter is a handful of ``key: value`` lines and one list of quoted bullets, and
libyaml plus PyYAML's node building spend about as long on it as the rest of a post's parse.
``load`` reads that shape line by line and returns None for anything else, so the caller falls
back to PyYAML: it accepts only text it reads exactly as ``FrontMatterLoader`` does (same values,
types and key order), and declines whatever it is unsure of rather than read it differently.

Accepted, per line:
  * a blank line (spaces only);
  * ``key: value`` at column 0, the key plain (a letter, then letters, digits, ``_`` and ``-``)
    and resolving to a string, each key once;
  * ``- value`` list items, all at one indentation, after a ``key:`` with an empty value;
where a value is a one-line double-quoted scalar with no backslash or ``"``, a one-line
single-quoted scalar with no ``'``, or a one-line plain scalar of printable ASCII without ``#``
or ``: `` and not starting with an indicator. Plain scalars get their tag from the loader's own
resolver and their value from PyYAML's own constructors, so ``7``, ``1:30``, ``0x1F``, ``~``
and ``2026-01-26 06:41:07`` come out as PyYAML makes them (a date and time of exactly that shape
by ``datetime.fromisoformat``, which builds the same naive datetime and refuses the same days).
"""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from yaml.nodes import ScalarNode

from bot.posts.loader import FrontMatterLoader

_STRING_TAG: Final = "tag:yaml.org,2002:str"
_PLAIN: Final = (True, False)  # the "implicit" flags libyaml gives an untagged plain scalar
# The tags a plain scalar can resolve to whose constructors take the scalar's text alone. The
# others (merge ``<<``, value ``=``) are left to PyYAML, which rejects them or builds mappings.
_SCALAR_TAGS: Final = tuple(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)

# A loader that never parses: its resolver (with the tags it remembers) and its constructors
# are the very ones PyYAML's path uses.
_LOADER: Final = FrontMatterLoader("")
_CONSTRUCTORS: Final[dict[str, Callable[[Any, ScalarNode], Any]]] = {
    tag: FrontMatterLoader.yaml_constructors[tag] for tag in _SCALAR_TAGS
}

# Quoted text: any character libyaml reads as itself on one line. Not control characters, which
# libyaml refuses, nor NEL, U+2028 and U+2029, which it takes as line breaks, nor surrogates,
# U+FEFF, U+FFFE and U+FFFF. Nor tabs: posts have none, and YAML's rules for them have corners.
_QUOTED_TEXT: Final = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
_DOUBLE_QUOTED: Final = rf'"([^"\\{_QUOTED_TEXT}]*)"'
_SINGLE_QUOTED: Final = rf"'([^'{_QUOTED_TEXT}]*)'"
# A plain scalar starts with a letter, digit or one of ``._~+/``, or ``-`` before a digit or
# ``.`` (a negative number); it goes on in printable ASCII but ``#``, with ``:`` only before
# another printable character, as ``: `` or a final ``:`` would make it a mapping key. Trailing
# spaces are matched here and stripped after, as YAML drops them.
_PLAIN_SCALAR: Final = r"((?:[A-Za-z0-9._~+/]|-(?=[0-9.]))(?:[ -\"$-9;-~]|:(?=[!-~]))*)"
_VALUE: Final = f"(?:{_DOUBLE_QUOTED}|{_SINGLE_QUOTED}|{_PLAIN_SCALAR})"
# One pattern for every accepted line: ``key:`` and its value (groups 1 to 4), a list item's
# indentation and value (5 to 8), or neither, for a blank line. A match's ``lastindex`` says
# which and how the value is written: 1 for an empty value, 2 or 6 double-quoted, 3 or 7
# single-quoted, 4 or 8 plain, None for a blank line.
_LINE: Final = re.compile(
    rf"(?:([A-Za-z][A-Za-z0-9_-]{{0,127}}):(?: +{_VALUE})?|( *)- +{_VALUE})? *\Z"
)
_EMPTY_VALUE: Final = 1
_ITEM_INDENT: Final = 5
_PLAIN_GROUPS: Final = (4, 8)
# A post's date as posts write it: a plain scalar that PyYAML resolves as a timestamp and builds
# as the naive datetime ``fromisoformat`` gives. Built directly, without the resolver's walk
# through its patterns: dates seldom repeat, so they miss the caches below, and the walk was
# about a fifth of the whole front matter's cost (2.7 of 12.7 µs a post, caches empty).
_DATE_TIME: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")

# Front matter repeats its keys, many values ("post", small numbers) and whole short lines in
# every file: the keys known to be strings, short plain scalars' values and short lines' matches
# (immutable all) are remembered, up to _CACHE_LIMIT of each.
_STRING_KEYS: set[str] = set()
_PLAIN_VALUES: dict[str, Any] = {}
_LINE_MATCHES: dict[str, re.Match[str]] = {}  # short lines (``layout: post``) and how they match
_CACHE_LIMIT: Final = 4096
_CACHED_LENGTH: Final = 40
_MISSING: Final = object()


class _DeclineError(Exception):
    """Raised inside the fast path for text it leaves to PyYAML."""


def load(raw: str) -> dict[str, Any] | None:
    """The mapping ``yaml.load(raw, Loader=FrontMatterLoader)`` gives, for front matter of the
    accepted shape; None for anything else (an empty document too), to be left to PyYAML."""
    result: dict[str, Any] = {}
    try:
        _read_lines(raw.split("\n"), result)
    except _DeclineError:
        return None
    return result or None


def _read_lines(lines: list[str], result: dict[str, Any]) -> None:
    list_key: str | None = None  # the key list items would belong to: one with an empty value
    items: list[Any] | None = None  # its list, once it has an item
    indent = 0
    for line in lines:
        match = _LINE_MATCHES.get(line) or _match_line(line)
        group = match.lastindex
        if group is None:
            continue  # a blank line
        if group < _ITEM_INDENT:
            list_key, items = _entry(match, group, result), None
            continue
        if list_key is None:
            raise _DeclineError
        if items is None:
            items = result[list_key] = []
            indent = match.end(_ITEM_INDENT)
        elif match.end(_ITEM_INDENT) != indent:
            raise _DeclineError  # deeper would continue the item's text; shallower is malformed
        items.append(_scalar(match, group))


def _match_line(line: str) -> re.Match[str]:
    match = _LINE.match(line)
    if match is None:
        raise _DeclineError
    if len(line) <= _CACHED_LENGTH and len(_LINE_MATCHES) < _CACHE_LIMIT:
        _LINE_MATCHES[line] = match
    return match


def _entry(match: re.Match[str], group: int, result: dict[str, Any]) -> str | None:
    """Adds a ``key: value`` line's entry to ``result``; gives the key if its value was empty,
    as list items may follow."""
    key = match[1]
    if key in result:
        raise _DeclineError  # PyYAML keeps the last value where the first key was: leave it that
    if key not in _STRING_KEYS:
        if _plain_tag(key) != _STRING_TAG:
            raise _DeclineError  # yes, null, ...: PyYAML's key would not be a string
        if len(_STRING_KEYS) < _CACHE_LIMIT:
            _STRING_KEYS.add(key)
    if group == _EMPTY_VALUE:
        result[key] = _plain_value("")  # null, unless items follow
        return key
    result[key] = _scalar(match, group)
    return None


def _scalar(match: re.Match[str], group: int) -> Any:
    if group in _PLAIN_GROUPS:
        return _plain_value(match[group].rstrip(" "))
    return match[group]  # a one-line quoted scalar with no escapes is its text


def _plain_tag(text: str) -> str:
    return _LOADER.resolve(ScalarNode, text, _PLAIN)


def _plain_value(text: str) -> Any:
    value = _PLAIN_VALUES.get(text, _MISSING)
    if value is _MISSING:
        value = _construct(text)
        if len(text) <= _CACHED_LENGTH and len(_PLAIN_VALUES) < _CACHE_LIMIT:
            _PLAIN_VALUES[text] = value
    return value


def _construct(text: str) -> Any:
    """A plain scalar's value, by PyYAML's resolver and constructors."""
    if _DATE_TIME.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError as error:  # a 2026-02-30, which PyYAML refuses too
            raise _DeclineError from error
    tag = _plain_tag(text)
    if tag == _STRING_TAG:
        return text
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:
        raise _DeclineError
    try:
        return construct(_LOADER, ScalarNode(tag, text))
    except Exception as error:
        # PyYAML raises too (a 2026-02-30, an int such as 0x_): leave it to report the error.
        raise _DeclineError from error

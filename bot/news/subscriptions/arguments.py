"""Reading what follows ``subscribe``: ``CATEGORY[, CATEGORY…] [sentiment:>=N] [digest:…]
[thread:on] [keywords…] [-excluded…]``.

Categories are separated by commas and matched ignoring case; the longest run of words that names
a category is taken, and the words after it are keywords (``"quoted phrases"`` stay whole). A word
or quoted phrase with a dash in front (``-budget``, ``-"rate cut"``) is excluded. Options may stand
anywhere: ``sentiment:>=N`` (N from 0 to 10), ``digest:daily@HH:MM``, ``digest:weekly@monHH:MM``
or ``digest:none``, and ``thread:on`` or ``thread:off``.
"""

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bot import messages
from bot.news.delivery.schedule import DigestSchedule, ScheduleError
from bot.store.post_words import folded
from bot.store.schema import ALL_CATEGORIES

EVERYTHING = "all"
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_TOKEN = re.compile(
    r'-"(?P<excluded_phrase>[^"]*)"|-(?P<excluded>[^\s,"-][^\s,"]*)'
    r'|"(?P<quoted>[^"]*)"|(?P<comma>,)|(?P<word>[^\s,"]+)'
)
_EXCLUDED_KINDS = ("excluded", "excluded_phrase")
_SENTIMENT = re.compile(r"sentiment:?(?:>=|≥|=>)?(?P<score>\d+(?:\.\d+)?)", re.IGNORECASE)
_OPTION = re.compile(r"(?P<name>sentiment|digest)\b|thread:", re.IGNORECASE)
THREAD_VALUES = {"on": True, "yes": True, "off": False, "no": False}


class ArgumentError(ValueError):
    """What a person typed cannot be used; the message tells them what to type instead."""


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # case-folded, or ALL_CATEGORIES
    name: str  # as the posts spell it, or "all"


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    categories: tuple[Category, ...]
    min_sentiment: float | None = None
    keywords: tuple[str, ...] = ()
    digest: DigestSchedule | None = None
    excluded: tuple[str, ...] = ()
    thread: bool = False


@dataclass(slots=True)
class _Reading:
    groups: list[list[str]] = field(default_factory=lambda: [[]])
    min_sentiment: float | None = None
    digest: DigestSchedule | None = None
    excluded: list[str] = field(default_factory=list)
    thread: bool = False


def parse_subscribe(text: str, known: Mapping[str, str]) -> SubscribeRequest:
    """``known`` maps each category's case-folded key to its name."""
    reading = _read(text)
    categories: list[Category] = []
    keywords: list[str] = []
    for group in (g for g in reading.groups if g):
        category, rest = _leading_category(group, known)
        categories.append(category)
        keywords.extend(rest)
    if not categories:
        raise ArgumentError(messages.SUBSCRIBE_NO_CATEGORY.format(known=_listing(known)))
    unique = tuple(dict.fromkeys(categories))
    excluded = checked_exclusions(keywords, reading.excluded)
    return SubscribeRequest(
        unique, reading.min_sentiment, tuple(keywords), reading.digest, excluded, reading.thread
    )


def checked_exclusions(keywords: Sequence[str], excluded: Sequence[str]) -> tuple[str, ...]:
    """The excluded words, once each; a word both included and excluded cannot be obeyed."""
    included = {folded(word) for word in keywords}
    for word in excluded:
        if folded(word) in included:
            raise ArgumentError(messages.EXCLUDED_AND_INCLUDED.format(word=word))
    return tuple(dict.fromkeys(excluded))


def parse_category_names(text: str) -> list[str]:
    """The comma-separated names in ``unsubscribe Politics, Science``."""
    groups = _read(text).groups
    return [" ".join(group) for group in groups if group]


def parse_keywords(text: str) -> tuple[str, ...]:
    """Keywords typed in a form: words, or ``"quoted phrases"``, separated by spaces or commas;
    words with a dash in front are left to ``parse_excluded``."""
    return tuple(value for kind, value in _tokens(text) if kind in ("word", "quoted"))


def parse_excluded(text: str, keywords_field: str = "") -> tuple[str, ...]:
    """The excluded words of a form: every word of its excluded field (a dash in front or
    not), and the dashed words of its keywords field."""
    typed = [value for kind, value in _tokens(text) if kind != "comma"]
    dashed = [value for kind, value in _tokens(keywords_field) if kind in _EXCLUDED_KINDS]
    return tuple(dict.fromkeys([*typed, *dashed]))


def _read(text: str) -> _Reading:
    reading = _Reading()
    for kind, value in _tokens(text):
        if kind == "comma":
            reading.groups.append([])
        elif kind in _EXCLUDED_KINDS:
            reading.excluded.append(value)
        elif kind == "word" and _OPTION.match(value):
            _read_option(value, reading)
        else:
            reading.groups[-1].append(value)
    return reading


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text.translate(_QUOTES)):
        kind = match.lastgroup or "word"
        value = match.group(kind)
        if (kind == "word" and value == "-") or (kind == "excluded_phrase" and not value.strip()):
            raise ArgumentError(messages.EXCLUDED_NOTHING)
        if kind in ("word", "excluded") or value.strip():
            yield kind, value.strip()


def _read_option(token: str, reading: _Reading) -> None:
    if token.lower().startswith("thread:"):
        value = token.partition(":")[2].lower()
        if value not in THREAD_VALUES:
            raise ArgumentError(messages.THREAD_UNREADABLE.format(text=token))
        reading.thread = THREAD_VALUES[value]
        return
    if token.lower().startswith("digest"):
        value = token.partition(":")[2]
        reading.digest = None if value.lower() in ("none", "off", "live") else _schedule(value)
        return
    match = _SENTIMENT.fullmatch(token)
    score = float(match["score"]) if match else -1.0
    if not 0 <= score <= 10:
        raise ArgumentError(messages.SENTIMENT_UNREADABLE.format(text=token))
    reading.min_sentiment = score


def _schedule(text: str) -> DigestSchedule:
    try:
        return DigestSchedule.parse(text)
    except ScheduleError as error:
        raise ArgumentError(str(error)) from error


def _leading_category(words: list[str], known: Mapping[str, str]) -> tuple[Category, list[str]]:
    """The longest leading run of words that names a category, and the words after it."""
    for length in range(len(words), 0, -1):
        category = resolve_category(" ".join(words[:length]), known)
        if category is not None:
            return category, words[length:]
    raise ArgumentError(unknown_category(words, known))


def resolve_category(name: str, known: Mapping[str, str]) -> Category | None:
    key = name.casefold()
    if key == EVERYTHING:
        return Category(ALL_CATEGORIES, EVERYTHING)
    return Category(key, known[key]) if key in known else None


def unknown_category(words: list[str], known: Mapping[str, str]) -> str:
    """ "No category 'politcs'. Did you mean Politics?", guessing which of the words were meant
    as the category: the longest leading run that is close to one."""
    for length in range(len(words), 0, -1):
        name = " ".join(words[:length])
        close = difflib.get_close_matches(name.casefold(), list(known), n=1)
        if close:
            hint = messages.CATEGORY_SUGGESTION.format(suggestion=known[close[0]])
            return messages.UNKNOWN_CATEGORY.format(category=name, hint=hint)
    return messages.UNKNOWN_CATEGORY.format(category=" ".join(words), hint=_listing(known))


def _listing(known: Mapping[str, str]) -> str:
    if not known:
        return messages.NO_CATEGORIES
    return messages.CATEGORY_LIST.format(known=", ".join(sorted(known.values())))

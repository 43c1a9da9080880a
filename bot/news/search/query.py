"""The search query language: words, "quoted phrases", -excluded words and filters.

    rates "interest rate" -mortgage category:business tag:ai since:7d until:2026-10-01 sentiment:>=7

Pure: text in, a ``SearchQuery`` or a ``QueryProblem`` out. Unbalanced quotes run to the end;
punctuation and emoji are not words; ``name:value`` with a name that is not a filter is two words.
A filter that cannot be read is a problem with a sentence that says how to write it.
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot import messages
from bot.store.search.query import ScoreBound, SearchQuery, Term
from bot.store.search.scripts import MARKS, units

MAX_TOKENS = 32
_PIECE = re.compile(
    r'(?P<minus>-?)(?:(?P<key>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))'
)
# Letters and digits, each with the combining marks after it (a Thai vowel sign belongs to its
# letter, as the index holds it); a mark with no letter before it is no word.
_TOKEN = re.compile(f"(?:[^\\W_][{MARKS}]*)+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_AGO = re.compile(r"(?P<count>\d{1,5})(?P<unit>[hdwmy])")
_UNIT_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "m": 30, "y": 365}
_SCORE = re.compile(r"(?P<op>>=|<=|>|<|=)?(?P<value>\d{1,2})")
_POLARITIES = {"positive": "positive", "neutral": "neutral", "negative": "negative"}
FILTERS = ("category", "tag", "since", "until", "sentiment")


@dataclass(frozen=True, slots=True)
class QueryProblem:
    text: str


def tokens(text: str) -> Term:
    """The words of ``text`` as the index sees them: letters and digits, case-folded."""
    return tuple(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def parse_query(text: str, now: datetime) -> SearchQuery | QueryProblem:
    query = SearchQuery()
    for piece in _PIECE.finditer(text):
        key = (piece["key"] or "").casefold()
        if _is_empty_filter(piece["bare"]):
            return QueryProblem(messages.SEARCH_NO_VALUE.format(key=piece["bare"]))
        if key in FILTERS and not piece["minus"]:
            value = piece["quoted"] if piece["quoted"] is not None else piece["bare"]
            parsed = _apply_filter(query, key, value.strip(), now)
        else:
            parsed = _apply_words(query, piece)
        if isinstance(parsed, QueryProblem):
            return parsed
        query = parsed
    return _checked(query)


def _is_empty_filter(bare: str | None) -> bool:
    return bare is not None and bare.endswith(":") and bare[:-1].casefold() in FILTERS


def _apply_words(query: SearchQuery, piece: re.Match[str]) -> SearchQuery:
    raw = piece["quoted"] if piece["quoted"] is not None else piece["bare"]
    words = tokens(f"{piece['key'] or ''} {raw}")
    if not words:
        return query
    if piece["quoted"] is not None:
        terms = [tuple(unit for word in words for unit in units(word))]
    else:
        terms = [units(word) for word in words]
    if piece["minus"]:
        return replace(query, excluded=(*query.excluded, *terms))
    return replace(query, terms=(*query.terms, *terms))


def _apply_filter(
    query: SearchQuery, key: str, value: str, now: datetime
) -> SearchQuery | QueryProblem:
    if key in ("category", "tag"):
        if not value:
            return QueryProblem(messages.SEARCH_BAD_CATEGORY.format(key=key))
        name = " ".join(value.split()).casefold()
        return replace(query, category=name) if key == "category" else replace(query, tag=name)
    if key == "sentiment":
        return _sentiment(query, value)
    moment = _moment(value, now, key == "until")
    if moment is None:
        return QueryProblem(messages.SEARCH_BAD_DATE.format(key=key, value=value))
    return replace(query, since=moment) if key == "since" else replace(query, until=moment)


def _moment(value: str, now: datetime, end_of_day: bool) -> datetime | None:
    """``2026-01-01`` (until: the end of that day) or ``7d`` ago (h, d, w, m, y)."""
    if _DAY.fullmatch(value):
        try:
            day = datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            return None
        return day + timedelta(days=1) if end_of_day else day
    ago = _AGO.fullmatch(value.casefold())
    if ago is None:
        return None
    return now - timedelta(days=int(ago["count"]) * _UNIT_DAYS[ago["unit"]])


def _sentiment(query: SearchQuery, value: str) -> SearchQuery | QueryProblem:
    side = _POLARITIES.get(value.casefold())
    if side is not None:
        return replace(query, polarity=side)
    found = _SCORE.fullmatch(value.replace(" ", ""))
    if found is None or int(found["value"]) > 10:
        return QueryProblem(messages.SEARCH_BAD_SENTIMENT.format(value=value))
    number, op = int(found["value"]), found["op"] or "="
    low = ScoreBound(number, op != ">") if op in (">=", ">", "=") else None
    high = ScoreBound(number, op != "<") if op in ("<=", "<", "=") else None
    return replace(query, score_low=low, score_high=high)


def _checked(query: SearchQuery) -> SearchQuery | QueryProblem:
    if len(query.tokens) + sum(map(len, query.excluded)) > MAX_TOKENS:
        return QueryProblem(messages.SEARCH_TOO_LONG.format(limit=MAX_TOKENS))
    if not query.terms and not query.has_filters:
        return QueryProblem(messages.SEARCH_EMPTY)
    if query.since and query.until and query.since >= query.until:
        return QueryProblem(messages.SEARCH_EMPTY_RANGE)
    return query

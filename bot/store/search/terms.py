"""Pieces both search engines share: candidates, highlight markers, the doc_id range of a query."""

import re
from dataclasses import dataclass
from typing import NamedTuple

from bot.store.search.index import (
    category_token,
    doc_time_key,
    polarity_token,
    score_ceiling_token,
    score_floor_token,
    tag_token,
)
from bot.store.search.query import SearchQuery

# Control characters never survive into a post's text, so they cannot be confused with it.
MATCH_START = "\x02"
MATCH_END = "\x03"
_MARKED = re.compile(f"{MATCH_START}([^{MATCH_END}]*){MATCH_END}")
_LOWEST = -(2**63)
_HIGHEST = 2**63 - 1


class Candidate(NamedTuple):
    """A matching post and the share of the query's terms found in each short field. A tuple:
    a search makes some 400, and a frozen dataclass costs twice as much to make."""

    doc_id: int
    title: float = 0.0
    summary: float = 0.0
    tags: float = 0.0


@dataclass(frozen=True, slots=True)
class Pools:
    """What one statement tells a search: the newest matches, how many match, and the newest
    posts with every word in the title."""

    recent: list[int]  # doc_ids, newest first
    total: int  # matches, counted up to the limit asked for, or up to ``count_limit``
    titles: list[int]  # doc_ids, newest first; empty for a query without words
    count_limit: int | None = None  # set when the engine counted to fewer than was asked


def doc_range(query: SearchQuery) -> tuple[int, int]:
    """The doc_ids of posts published in [since, until)."""
    low = _LOWEST if query.since is None else doc_time_key(query.since.timestamp())
    high = _HIGHEST if query.until is None else doc_time_key(query.until.timestamp()) - 1
    return low, high


def marked_share(highlighted: str | None, terms: int) -> float:
    """How many of ``terms`` terms a highlighted field shows, as a share: distinct marked
    passages, which approximates distinct terms (two forms of one word count twice)."""
    if not highlighted or terms == 0:
        return 0.0
    distinct = {passage.casefold() for passage in _MARKED.findall(highlighted)}
    return min(len(distinct), terms) / terms


def facet_groups(query: SearchQuery) -> list[list[str]]:
    """The query's filters (dates aside) as facet tokens: a post passes when it has at least
    one token of every group. An empty group lets no post pass."""
    groups = _score_groups(query)
    if query.category is not None:
        groups.append([category_token(query.category)])
    if query.tag is not None:
        groups.append([tag_token(query.tag)])
    if query.polarity is not None:
        groups.append([polarity_token(query.polarity)])
    return groups


def _score_groups(query: SearchQuery) -> list[list[str]]:
    groups = []
    low, high = query.score_low, query.score_high
    if low is not None:  # score >= n  <=>  floor >= n;  score > n  <=>  ceiling > n
        first = low.value if low.inclusive else low.value + 1
        maker = score_floor_token if low.inclusive else score_ceiling_token
        groups.append([maker(n) for n in range(first, 11)])
    if high is not None:  # score <= n  <=>  ceiling <= n;  score < n  <=>  floor < n
        last = high.value if high.inclusive else high.value - 1
        maker = score_ceiling_token if high.inclusive else score_floor_token
        groups.append([maker(n) for n in range(0, last + 1)])
    return groups

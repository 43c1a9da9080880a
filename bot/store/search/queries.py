"""Ranked full-text search over the posts, on SQLite FTS5 or PostgreSQL's tsvector.

Scoring every match is what makes full-text search slow: a common word matches most posts, and
ranking them all by bm25 takes hundreds of milliseconds at 100,000 posts. Because ``doc_id``
orders the index by publication time, the newest matches come straight off the index instead.
Candidates are the newest ``CANDIDATES`` matches, plus the newest ``CANDIDATES`` with every word
in the title (from a title-only index), so an older headline still competes with this week's
passing mentions. One statement per engine finds both pools and counts the matches up to
``COUNT_LIMIT``. Each candidate is scored by where the query's terms occur (title, TL;DR, tags,
anywhere), and the score decays by half every ``HALF_LIFE_DAYS``: a strong match from last week
beats an equal one from two years ago, and a title match beats a body-only match of similar age.
When a query matches fewer posts than ``CANDIDATES``, every match is a candidate, so the ranking
is exact. Candidates too old to reach the page asked for, whatever their relevance, are ranked
without being weighed, which changes no page.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post
from bot.posts.markdown import plain_text
from bot.store.post_rows import post_from_row
from bot.store.schema import PostCategoryRow, PostRow, PostSearchRow
from bot.store.search import postgres, sqlite
from bot.store.search.index import DOC_SHIFT
from bot.store.search.query import SearchQuery
from bot.store.search.snippets import snippet
from bot.store.search.terms import MATCH_END, MATCH_START, Candidate, Pools

CANDIDATES = 200
COUNT_LIMIT = 1_000  # counting stops here: "more than 1,000" tells a person as much
HALF_LIFE_DAYS = 60
WEIGHTS = {"title": 3.0, "summary": 1.5, "tags": 1.0}

__all__ = [
    "MATCH_END",
    "MATCH_START",
    "SearchHit",
    "SearchPage",
    "count_matches",
    "search_posts",
]


@dataclass(frozen=True, slots=True)
class SearchHit:
    post: Post
    snippet: str  # a passage where the query matched, matches between MATCH_START and MATCH_END


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[SearchHit]
    total: int  # posts that match; at least this many when not ``total_is_exact``
    total_is_exact: bool
    ranked: int  # how many of them were ranked, so how far "Next" can go


class Engine(Protocol):
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        """In one statement: the newest ``candidates`` matches, the number of matches up to
        ``count_limit``, and the newest ``candidates`` posts that match with every word in
        the title."""

    async def weigh(
        self, session: AsyncSession, query: SearchQuery, doc_ids: list[int], complete: bool
    ) -> list[Candidate]:
        """Where the words occur in each of these matches (``complete``: all the matches)."""


def search_engine(session: AsyncSession) -> Engine:
    if session.get_bind().dialect.name == "postgresql":
        return postgres.ENGINE
    return sqlite.ENGINE


_TITLE, _SUMMARY, _TAGS = WEIGHTS["title"], WEIGHTS["summary"], WEIGHTS["tags"]


def _ranked(candidates: Iterable[Candidate]) -> list[tuple[float, int]]:
    """Each candidate's score and doc_id, best first (the newest on a tie). The score is
    log2 of the relevance, weighed by where the terms occur, plus the age in half-lives: it
    halves every ``HALF_LIFE_DAYS``. Worked out inline, the weights by name, not a loop over
    WEIGHTS: a search ranks some 400 candidates."""
    log2 = math.log2
    keyed = [
        (
            log2(1.0 + _TITLE * title + _SUMMARY * summary + _TAGS * tags)
            + (doc_id >> DOC_SHIFT) / 86_400 / HALF_LIFE_DAYS,
            doc_id,
        )
        for doc_id, title, summary, tags in candidates
    ]
    keyed.sort(reverse=True)
    return keyed


async def search_posts(
    session: AsyncSession, query: SearchQuery, offset: int = 0, limit: int = 5
) -> SearchPage:
    """One page of the posts that match ``query``, best first."""
    engine = search_engine(session)
    pools = await engine.pools(session, query, CANDIDATES, COUNT_LIMIT + 1)
    complete = pools.total <= CANDIDATES
    weighed = _within_reach(pools.recent, offset + limit)
    pool = {c.doc_id: c for c in await engine.weigh(session, query, weighed, complete)}
    if not complete:
        for doc_id in pools.titles:
            pool.setdefault(doc_id, Candidate(doc_id, title=1.0))
    for doc_id in pools.recent[len(weighed) :]:
        pool.setdefault(doc_id, Candidate(doc_id))
    order = _ranked(pool.values())
    hits = await _hits(session, query, [doc_id for _, doc_id in order[offset : offset + limit]])
    shown = (pools.count_limit or COUNT_LIMIT + 1) - 1  # a count that reached it is a floor
    total = pools.total
    return SearchPage(hits, min(total, shown), total <= shown, len(order))


def _within_reach(recent: list[int], places: int) -> list[int]:
    """The newest candidates that could rank among the first ``places``; the rest go unweighed.

    Each of the ``places`` newest scores at least its age's share; a candidate older than the
    last of them by more than the best relevance can make up scores below all of them, so
    weighing it cannot change the page. This matters when the candidates span years (rarer
    words): weighing then reads only a few months of the index instead of all of it."""
    if len(recent) <= places:
        return recent
    reach_days = HALF_LIFE_DAYS * math.log2(1.0 + sum(WEIGHTS.values()))
    horizon = (recent[places - 1] >> DOC_SHIFT) - math.ceil(reach_days * 86_400) - 1
    return [doc_id for doc_id in recent if doc_id >> DOC_SHIFT >= horizon]


async def count_matches(session: AsyncSession, query: SearchQuery) -> int:
    """How many posts match, up to COUNT_LIMIT."""
    return (await search_engine(session).pools(session, query, 0, COUNT_LIMIT)).total


async def _hits(session: AsyncSession, query: SearchQuery, doc_ids: list[int]) -> list[SearchHit]:
    if not doc_ids:
        return []
    by_doc = await _posts(session, doc_ids)
    found = [(doc_id, by_doc[doc_id]) for doc_id in doc_ids if doc_id in by_doc]
    return [SearchHit(post, _snippet(post, query)) for _, post in found]


def _snippet(post: Post, query: SearchQuery) -> str:
    return (snippet(post, query) if query.terms else None) or _opening(post)


@lru_cache(maxsize=1)
def _posts_statement() -> Select[Any]:
    """The posts behind ``doc_ids`` with their categories: one Core statement (a row per
    category), not two through the ORM session, whose overhead outweighs the SQL here; built
    once."""
    posts, categories = PostRow.__table__, PostCategoryRow.__table__
    return (
        select(PostSearchRow.doc_id, *posts.c, categories.c.name.label("category_name"))
        .join(posts, posts.c.id == PostSearchRow.post_id)
        .outerjoin(categories, categories.c.post_id == posts.c.id)
        .where(PostSearchRow.doc_id.in_(bindparam("doc_ids", expanding=True)))
        .order_by(PostSearchRow.doc_id, categories.c.position)
    )


async def _posts(session: AsyncSession, doc_ids: list[int]) -> dict[int, Post]:
    """The posts behind these doc_ids with their categories."""
    found: dict[int, tuple[Any, list[str]]] = {}
    connection = await session.connection()
    for row in await connection.execute(_posts_statement(), {"doc_ids": doc_ids}):
        _, names = found.setdefault(row.doc_id, (row, []))
        if row.category_name is not None:
            names.append(row.category_name)
    return {doc_id: post_from_row(row, names) for doc_id, (row, names) in found.items()}


def _opening(post: Post) -> str:
    return post.tldr[0] if post.tldr else plain_text(post.body).text[:200]

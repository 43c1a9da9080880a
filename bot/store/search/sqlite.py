"""Search on SQLite: FTS5 match expressions built from tokens, walked newest first by rowid.

Filters become part of the match: category, sentiment and polarity as exact tokens in the
``facets`` column, dates as a rowid range. FTS5 intersects those far faster than a join would.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, column, literal_column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import PostSearchRow
from bot.store.search.query import SearchQuery, Term
from bot.store.search.terms import (
    MATCH_END,
    MATCH_START,
    Candidate,
    Pools,
    doc_range,
    facet_groups,
    marked_share,
)
from bot.store.sqlite_rows import fetch_rows

# Words are matched in every column, facets too: a column filter would make FTS5 check every
# position list, over twice as slow. Only someone typing a facet token itself ("zzp0") would
# notice, and they would get just the posts it filters for.
_NO_POST = '"zznever"'  # a token no post has: a filter no score can pass
_MARKS = f"'{MATCH_START}', '{MATCH_END}'"
# One statement for the newest matches, their count and the title pass: each round trip
# through the driver's thread costs more than the SQL itself on a busy machine. The matches are
# walked once, newest first by rowid, and kept for both the count and the pool (SQLite 3.35 and
# later materialize a CTE used twice; the MATERIALIZED keyword itself would fail before 3.35).
_POOLS = (
    "WITH found AS (SELECT rowid FROM post_search_fts "
    "WHERE post_search_fts MATCH :match AND rowid BETWEEN :low AND :high "
    "ORDER BY rowid DESC LIMIT :count_limit) "
    "SELECT 0, count(*) FROM found "
    "UNION ALL SELECT * FROM (SELECT 1, rowid FROM found ORDER BY rowid DESC LIMIT :candidates)"
)
# The title pass reads the title-only table (migration 0006): its entries are a few words long,
# where a column filter on the whole documents walks every matching document's positions.
# Excluded words can be anywhere in a post, so they are checked against the whole documents.
_TITLE_POOL = (
    " UNION ALL SELECT * FROM (SELECT 2, rowid FROM post_title_fts "
    "WHERE post_title_fts MATCH :title_match AND rowid BETWEEN :low AND :high {unexcluded}"
    "ORDER BY rowid DESC LIMIT :candidates)"
)
_UNEXCLUDED = (
    "AND rowid NOT IN (SELECT rowid FROM post_search_fts WHERE post_search_fts MATCH :excluded) "
)
_IN_FIELD = (
    "SELECT {field} AS field, rowid FROM post_search_fts WHERE post_search_fts MATCH :{name} "
    "AND rowid BETWEEN :low AND :high"
)
FIELDS = ("title", "summary", "tags")
_HIGHLIGHTED = (
    f"SELECT rowid, highlight(post_search_fts, 0, {_MARKS}), "
    f"highlight(post_search_fts, 1, {_MARKS}), highlight(post_search_fts, 3, {_MARKS}) "
    "FROM post_search_fts WHERE post_search_fts MATCH :match AND rowid BETWEEN :low AND :high"
)
_FTS = table("post_search_fts", column("rowid"))


def _phrase(term: Term) -> str:
    return '"' + " ".join(term).replace('"', '""') + '"'


def _any_of(terms: Sequence[Term]) -> str:
    return "(" + " OR ".join(map(_phrase, terms)) + ")"


def _tokens(names: Sequence[str]) -> str:
    return "(" + " OR ".join(f'"{name}"' for name in names) + ")" if names else _NO_POST


def _facets(query: SearchQuery) -> list[str]:
    return [f"facets : {_tokens(group)}" for group in facet_groups(query)]


def _positive(query: SearchQuery, titles: bool = False) -> str | None:
    words = " AND ".join(map(_phrase, query.terms))
    parts = [f"{{title}} : ({words})" if titles else words] if query.terms else []
    parts.extend(_facets(query))
    return "(" + " AND ".join(parts) + ")" if parts else None


def match_expression(query: SearchQuery) -> str | None:
    """The FTS5 query, or None when nothing positive is asked for (dates and exclusions only)."""
    positive = _positive(query)
    if positive is not None and query.excluded:
        return f"{positive} NOT {_any_of(query.excluded)}"
    return positive


def _pools_statement(
    query: SearchQuery, match: str, candidates: int, count_limit: int
) -> tuple[str, dict[str, object]]:
    low, high = doc_range(query)
    params: dict[str, object] = {
        "match": match,
        "low": low,
        "high": high,
        "count_limit": count_limit,
        "candidates": candidates,
    }
    title_match = _positive(query, titles=True)
    if not query.terms or not candidates or title_match is None:
        return _POOLS, params
    params["title_match"] = title_match
    unexcluded = ""
    if query.excluded:
        params["excluded"] = _any_of(query.excluded)
        unexcluded = _UNEXCLUDED
    return _POOLS + _TITLE_POOL.format(unexcluded=unexcluded), params


def _unmatched(query: SearchQuery) -> Select[Any]:
    """Posts in the date range without any excluded word: for queries with no match part."""
    doc_id = PostSearchRow.doc_id
    chosen = select(doc_id).where(doc_id.between(*doc_range(query)))
    if query.excluded:
        excluded = _any_of(query.excluded)
        matching = select(_FTS.c.rowid).where(literal_column(_FTS.name).op("MATCH")(excluded))
        chosen = chosen.where(doc_id.not_in(matching))
    return chosen.order_by(doc_id.desc())


async def _highlighted(
    session: AsyncSession, query: SearchQuery, match: str, doc_ids: tuple[int, int]
) -> list[Candidate]:
    """Shares read off highlighted fields: one more pass over the matches, where a query per
    field and term would each walk the whole span again."""
    params = {"match": match, "low": doc_ids[0], "high": doc_ids[1]}
    terms = len(query.terms)
    return [
        Candidate(doc_id, *(marked_share(field, terms) for field in fields))
        for doc_id, *fields in await fetch_rows(session, _HIGHLIGHTED, params)
    ]


async def _field_shares(
    session: AsyncSession, query: SearchQuery, match: str, doc_ids: tuple[int, int]
) -> dict[int, list[float]]:
    """For the candidates (the matches between ``doc_ids``), the share of the query's terms in
    each short field: one rowid-only match per (field, term), which FTS5 answers from the index
    alone, far cheaper than highlighting every candidate's text."""
    params: dict[str, object] = {"low": doc_ids[0], "high": doc_ids[1]}
    selects = []
    for index, field in enumerate(FIELDS):
        for number, term in enumerate(query.terms):
            name = f"m{index}_{number}"
            params[name] = _in_field(match, field, _phrase(term))
            selects.append(_IN_FIELD.format(field=index, name=name))
    shares: dict[int, list[float]] = {}
    step = 1 / len(query.terms)
    for field, doc_id in await fetch_rows(session, " UNION ALL ".join(selects), params):
        shares.setdefault(doc_id, [0.0] * len(FIELDS))[field] += step
    return shares


def _in_field(match: str, field: str, phrase: str) -> str:
    """The matches with ``phrase`` in ``field``. When the match is that phrase alone (one word,
    no filter, nothing excluded), the field's own filter finds the same rows, and FTS5 then
    reads the word's entries once instead of twice to intersect them with themselves."""
    in_field = f"{{{field}}} : {phrase}"
    return in_field if match == f"({phrase})" else f"({match}) AND {in_field}"


class SqliteSearch:
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        match = match_expression(query)
        if match is None:
            found = list(await session.scalars(_unmatched(query).limit(count_limit)))
            return Pools(found[:candidates], len(found), [])
        pools: tuple[list[int], list[int], list[int]] = ([], [], [])
        for kind, value in await fetch_rows(
            session, *_pools_statement(query, match, candidates, count_limit)
        ):
            pools[kind].append(value)
        [total], recent, titles = pools
        return Pools(recent, total, titles)

    async def weigh(
        self, session: AsyncSession, query: SearchQuery, doc_ids: list[int], complete: bool
    ) -> list[Candidate]:
        match = match_expression(query)
        if match is None or not doc_ids or not query.terms:
            return [Candidate(doc_id) for doc_id in doc_ids]
        span = (doc_ids[-1], doc_ids[0])
        if complete or any(len(term) > 1 for term in query.terms):
            # The matches may be spread over the whole index, or phrases make each pass
            # over it dear: one pass that highlights costs less than one per field and word.
            return await _highlighted(session, query, match, span)
        shares = await _field_shares(session, query, match, span)
        return [Candidate(doc_id, *shares.get(doc_id, ())) for doc_id in doc_ids]


ENGINE = SqliteSearch()

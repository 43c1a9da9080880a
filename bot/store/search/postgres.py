"""Search on PostgreSQL: a tsquery built from tokens, matched against the GIN-indexed tsvector.

The document's weights tell the fields apart (A title, B TL;DR, C tags, D body), so the share of
terms found in each field is a weight-restricted match on the same vector. Tokens are letters and
digits only and each is quoted, so no text a person types is tsquery syntax.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    Subquery,
    cast,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.schema import PostSearchRow
from bot.store.search.pg_vectors import PG_CONFIG
from bot.store.search.query import SearchQuery, Term
from bot.store.search.terms import (
    Candidate,
    Pools,
    doc_range,
    facet_groups,
)

# Matches are looked for among the newest WINDOW posts first, walking the doc_id index down and
# checking each document: cheap while matches are common (a common word fills the candidates
# within a few hundred posts), and bounded when they are not. Rarer matches come from the GIN
# index. Either way on its own is slow for some words: a walk reads every document for a rare
# word (seconds), the GIN route reads every match of a common one.
WINDOW = 2048
LOWEST_DOC_ID = -(2**63)
_NO_POST = "zznever"  # a lexeme no post has: a filter no score can pass
DOCUMENT = literal_column("post_search.document", TSVECTOR)
# The title alone (migration 0006), GIN-indexed: a title match needs no whole document.
TITLE_DOCUMENT = literal_column("post_search.title_document", TSVECTOR)
FIELDS = ("A", "B", "C")  # title, summary, tags


def _phrase(term: Term, weight: str = "") -> str:
    suffix = f":{weight}" if weight else ""
    return "(" + " <-> ".join(f"'{token}'{suffix}" for token in term) + ")"


def _tsquery(source: str) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), literal(source, String))


def tsquery_text(query: SearchQuery) -> str | None:
    parts = [_phrase(term) for term in query.terms]
    if query.excluded:
        parts.append("!(" + " | ".join(_phrase(term) for term in query.excluded) + ")")
    return " & ".join(parts) or None


def facet_tsquery_text(query: SearchQuery) -> str | None:
    """The filters as a tsquery of facet lexemes, to be cast, never parsed: a text search
    configuration would drop or change tokens like "zzf8"."""
    groups = [" | ".join(f"'{token}'" for token in group) for group in facet_groups(query)]
    return " & ".join(f"({group})" if group else f"'{_NO_POST}'" for group in groups) or None


def _filtered(query: SearchQuery, words: bool = True) -> Select[Any]:
    """The doc_ids of posts that match ``query``; without ``words``, its filters and
    exclusions only."""
    doc_id = PostSearchRow.doc_id
    chosen = select(doc_id)
    if query.since or query.until:
        chosen = chosen.where(doc_id.between(*doc_range(query)))
    matched = []
    source = tsquery_text(query if words else SearchQuery(excluded=query.excluded))
    if source is not None:
        matched.append(_tsquery(source))
    facets = facet_tsquery_text(query)
    if facets is not None:
        matched.append(cast(literal(facets, String), TSQUERY))
    if matched:
        both = matched[0] if len(matched) == 1 else matched[0].op("&&")(matched[1])
        chosen = chosen.where(DOCUMENT.bool_op("@@")(both))
    return chosen


def _field_hits(query: SearchQuery) -> list[ColumnElement[Any]]:
    """One true/false column per (field, term): does the term occur in that field?"""
    return [
        DOCUMENT.bool_op("@@")(_tsquery(_phrase(term, weight)))
        for weight in FIELDS
        for term in query.terms
    ]


def _title_match(query: SearchQuery) -> ColumnElement[bool]:
    """Every word in the title: from the title's own index, where a weight-restricted match on
    the document could not use the GIN index and would read every document."""
    source = " & ".join(_phrase(term) for term in query.terms)
    return TITLE_DOCUMENT.bool_op("@@")(_tsquery(source))


def _newest(chosen: Select[Any], limit: int) -> Subquery:
    return chosen.order_by(chosen.selected_columns[0].desc()).limit(limit).subquery()


def _window_bound() -> ColumnElement[Any]:
    """The doc_id of the ``WINDOW``-th newest post, or the lowest doc_id when there are fewer."""
    doc_id = PostSearchRow.doc_id
    newest = select(doc_id).order_by(doc_id.desc()).offset(WINDOW - 1).limit(1)
    return func.coalesce(newest.scalar_subquery(), LOWEST_DOC_ID)


def _pools_statement(query: SearchQuery, candidates: int, count_limit: int) -> CompoundSelect[Any]:
    """Within the newest ``WINDOW`` posts: the newest matches (kept, MATERIALIZED, for their
    count too); the title pass over every post; and the window's bound, as (kind, value) rows.
    One round trip."""
    bound = _window_bound()
    in_window = _filtered(query).where(PostSearchRow.doc_id >= bound)
    newest_first = in_window.order_by(PostSearchRow.doc_id.desc()).limit(count_limit)
    kept = newest_first.cte("found").prefix_with("MATERIALIZED")
    recent = _newest(select(kept.c.doc_id), candidates)
    parts = [
        select(literal(0), func.count()).select_from(kept),
        select(literal(1), recent.c.doc_id),
        select(literal(3), bound),
    ]
    if query.terms and candidates:
        # Every word in the title means the document has them too: only filters and exclusions
        # are matched against the document (through its GIN index, no document read).
        in_titles = _filtered(query, words=False)
        titles = _newest(in_titles.where(_title_match(query)), candidates)
        parts.append(select(literal(2), titles.c.doc_id))
    return union_all(*parts)


def _older_statement(query: SearchQuery, bound: int, limit: int) -> Select[Any]:
    """The newest ``limit`` matches older than the window. OFFSET 0 keeps the planner from
    walking the doc_id index down with a check of every document (a decompression each, the
    cost it does not see); it finds the matches through the GIN index, then sorts them."""
    older = _filtered(query).where(PostSearchRow.doc_id < bound).offset(0).subquery()
    return select(older.c.doc_id).order_by(older.c.doc_id.desc()).limit(limit)


class PostgresSearch:
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        pools: tuple[list[int], ...] = ([], [], [], [])
        for kind, value in await session.execute(_pools_statement(query, candidates, count_limit)):
            pools[kind].append(int(value))
        [total], recent, titles, [bound] = pools
        if total < count_limit and bound > LOWEST_DOC_ID:
            # Too few matches among the newest posts to walk on: the rest are rarer than one
            # document in a few, which the GIN index finds faster than any walk.
            older = _older_statement(query, bound, count_limit - total)
            found = [int(doc_id) for doc_id in await session.scalars(older)]
            recent.extend(found[: max(0, candidates - len(recent))])
            total += len(found)
        return Pools(recent, total, titles)

    async def weigh(
        self, session: AsyncSession, query: SearchQuery, doc_ids: list[int], complete: bool
    ) -> list[Candidate]:
        if not query.terms or not doc_ids:
            return [Candidate(doc_id) for doc_id in doc_ids]
        doc_id = PostSearchRow.doc_id
        chosen = select(doc_id, *_field_hits(query)).where(doc_id.in_(doc_ids))
        terms = len(query.terms)
        return [_candidate(row[0], row[1:], terms) for row in await session.execute(chosen)]


def _candidate(doc_id: object, hits: Sequence[object], terms: int) -> Candidate:
    if not terms:
        return Candidate(int(str(doc_id)))
    shares = [sum(map(bool, hits[i * terms : (i + 1) * terms])) / terms for i in range(3)]
    return Candidate(int(str(doc_id)), *shares)


ENGINE = PostgresSearch()

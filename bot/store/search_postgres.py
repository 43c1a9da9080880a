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
    exists,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post
from bot.store.schema import PostCategoryRow, PostRow, PostSearchRow
from bot.store.search_index import PG_CONFIG
from bot.store.search_query import SearchQuery, Term
from bot.store.search_terms import (
    MATCH_END,
    MATCH_START,
    Candidate,
    Pools,
    best_snippet,
    doc_range,
)

DOCUMENT = literal_column("post_search.document", TSVECTOR)
# The title alone (migration 0006), GIN-indexed: a title match needs no whole document.
TITLE_DOCUMENT = literal_column("post_search.title_document", TSVECTOR)
FIELDS = ("A", "B", "C")  # title, summary, tags
_HEADLINE = (
    f'StartSel="{MATCH_START}", StopSel="{MATCH_END}", MaxWords=30, MinWords=12, '
    'ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "'
)
_SNIPPETS = text(
    f"SELECT ts_headline('{PG_CONFIG}', passage, to_tsquery('{PG_CONFIG}', :query), :options) "
    "FROM unnest(CAST(:passages AS text[])) WITH ORDINALITY AS p(passage, n) ORDER BY n"
)


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


def _filtered(query: SearchQuery, words: SearchQuery | None = None) -> Select[Any]:
    """The doc_ids of posts that match ``query``; with ``words``, only its words and exclusions
    are matched against the document, ``query``'s filters still apply."""
    doc_id = PostSearchRow.doc_id
    chosen = select(doc_id)
    if query.since or query.until:
        chosen = chosen.where(doc_id.between(*doc_range(query)))
    source = tsquery_text(query if words is None else words)
    if source is not None:
        chosen = chosen.where(DOCUMENT.bool_op("@@")(_tsquery(source)))
    if query.category is not None:
        chosen = chosen.where(
            exists().where(
                PostCategoryRow.post_id == PostSearchRow.post_id,
                PostCategoryRow.key == query.category,
            )
        )
    if query.polarity is not None:
        chosen = chosen.where(PostSearchRow.polarity == query.polarity)
    return _score_filtered(query, chosen)


def _score_filtered(query: SearchQuery, chosen: Select[Any]) -> Select[Any]:
    low, high = query.score_low, query.score_high
    if low is None and high is None:
        return chosen
    score = PostRow.sentiment_score
    chosen = chosen.join(PostRow, PostRow.id == PostSearchRow.post_id)
    if low is not None:
        chosen = chosen.where(score >= low.value if low.inclusive else score > low.value)
    if high is not None:
        chosen = chosen.where(score <= high.value if high.inclusive else score < high.value)
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


def _pools_statement(query: SearchQuery, candidates: int, count_limit: int) -> CompoundSelect[Any]:
    """The newest matches (kept, MATERIALIZED, for their count too) and the title pass, as
    (kind, value) rows: one round trip."""
    found = _filtered(query).order_by(PostSearchRow.doc_id.desc()).limit(count_limit)
    kept = found.cte("found").prefix_with("MATERIALIZED")
    recent = _newest(select(kept.c.doc_id), candidates)
    parts = [
        select(literal(0), func.count()).select_from(kept),
        select(literal(1), recent.c.doc_id),
    ]
    if query.terms and candidates:
        # Every word in the title means the document matches them too: only an exclusion needs
        # the document, whose tsvector is far dearer to read than the title's.
        in_titles = _filtered(query, SearchQuery(excluded=query.excluded))
        titles = _newest(in_titles.where(_title_match(query)), candidates)
        parts.append(select(literal(2), titles.c.doc_id))
    return union_all(*parts)


class PostgresSearch:
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        pools: tuple[list[int], list[int], list[int]] = ([], [], [])
        for kind, value in await session.execute(_pools_statement(query, candidates, count_limit)):
            pools[kind].append(int(value))
        [total], recent, titles = pools
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

    async def snippets(
        self, session: AsyncSession, query: SearchQuery, hits: Sequence[tuple[int, Post]]
    ) -> dict[int, str]:
        passages = [text for _, post in hits for text in ("\n".join(post.tldr), post.body)]
        params = {
            "query": " & ".join(_phrase(term) for term in query.terms),
            "options": _HEADLINE,
            "passages": passages,
        }
        shown = list(await session.scalars(_SNIPPETS, params))
        pairs = [shown[i : i + 2] for i in range(0, len(shown), 2)]
        found = {doc_id: best_snippet(pair) for (doc_id, _), pair in zip(hits, pairs, strict=True)}
        return {doc_id: snippet for doc_id, snippet in found.items() if snippet}


def _candidate(doc_id: object, hits: Sequence[object], terms: int) -> Candidate:
    if not terms:
        return Candidate(int(str(doc_id)))
    shares = [sum(map(bool, hits[i * terms : (i + 1) * terms])) / terms for i in range(3)]
    return Candidate(int(str(doc_id)), *shares)


ENGINE = PostgresSearch()

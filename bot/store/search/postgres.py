"""Search on PostgreSQL: a tsquery built from tokens, matched against the GIN-indexed tsvector.

The document's weights tell the fields apart (A title, B TL;DR, C tags, D body), so the share of
terms found in each field is a weight-restricted match on the same vector. Tokens are letters and
digits only and each is quoted, so no text a person types is tsquery syntax.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    Subquery,
    any_,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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
_MARGINS = (1.25, 2.0)  # how far past the expected reach the older passes look, see _next_low
_NO_POST = "zznever"  # a lexeme no post has: a filter no score can pass
DOCUMENT = literal_column("post_search.document", TSVECTOR)
# The title alone (migration 0006), GIN-indexed: a title match needs no whole document.
TITLE_DOCUMENT = literal_column("post_search.title_document", TSVECTOR)
FIELDS = ("A", "B", "C")  # title, summary, tags
# Set for the search's statements and restored after. Index scans and sequential scans off: see
# ``Compiled.of``. A custom plan for every execution: the statements are prepared once and
# cached (parameters, not literals, so SQLAlchemy compiles and the server parses each shape
# once), and the planner still sees each execution's values, a tsquery's word frequencies
# above all. No parallel workers: starting them costs more than a search's bitmap scans.
_SETTINGS = {
    "enable_indexscan": "off",
    "enable_seqscan": "off",
    "plan_cache_mode": "force_custom_plan",
    "max_parallel_workers_per_gather": "0",
}


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


def _number(value: int) -> ColumnElement[Any]:
    return literal(int(value), BigInteger)


def _constant(tsquery: str) -> ColumnElement[Any]:
    """A tsquery as a parameter, cast by the server. Every plan is a custom plan (``_SETTINGS``),
    in which the cast of the parameter's value is folded into a constant: the planner reads its
    lexemes' frequencies from the column's statistics."""
    return cast(literal(tsquery, String), TSQUERY)


def _doc_ids(values: list[int]) -> ColumnElement[Any]:
    """``= ANY`` of one array parameter: one statement whatever the number of doc_ids, where
    ``IN`` would be a new statement to compile and prepare for each count."""
    return any_(literal(values, ARRAY(BigInteger)))


@dataclass(frozen=True, slots=True)
class Compiled:
    """A query's tsqueries, as the server's text search configuration reads them (one round
    trip), and the doc_id of the newest ``WINDOW``-th post."""

    words: str | None  # every term, and no excluded one
    unexcluded: str | None  # no excluded term
    title: str | None  # every term (for the title index)
    bound: int
    newest: int  # the newest post's doc_id
    settings: tuple[str, ...]  # the session's values of ``_SETTINGS``, to be restored

    @classmethod
    async def of(cls, connection: AsyncConnection, query: SearchQuery) -> "Compiled":
        sources = [
            tsquery_text(SearchQuery(terms=query.terms, excluded=query.excluded)),
            tsquery_text(SearchQuery(excluded=query.excluded)),
            " & ".join(_phrase(term) for term in query.terms) or None,
        ]
        texts = [
            cast(_tsquery(source), String) if source else literal(None, String)
            for source in sources
        ]
        # Until ``restore``: neither plain index scans nor sequential scans, so no walk down
        # doc_id and no scan of the table that reads each document from TOAST (about 10 us a
        # post, a cost the planner does not see); the statements below find their matches as
        # bitmaps of the GIN indexes, which need no document read. This statement is planned
        # before it runs, so its own index scan (for the bound) is kept.
        settings = [func.current_setting(name) for name in _SETTINGS]
        changed = [func.set_config(name, value, True) for name, value in _SETTINGS.items()]
        newest = func.coalesce(select(func.max(PostSearchRow.doc_id)).scalar_subquery(), 0)
        statement = select(*texts, _window_bound(), newest, *settings, *changed)
        row = (await connection.execute(statement)).one()
        kept = tuple(str(value) for value in row[5 : 5 + len(_SETTINGS)])
        return cls(row[0], row[1], row[2], int(row[3]), int(row[4]), kept)

    async def restore(self, connection: AsyncConnection) -> None:
        pairs = zip(_SETTINGS, self.settings, strict=True)
        await connection.execute(select(*(func.set_config(n, v, True) for n, v in pairs)))


def _filtered(query: SearchQuery, compiled: Compiled) -> Select[Any]:
    """The doc_ids of posts that match ``query``."""
    return _matching(query, DOCUMENT, compiled.words)


def _in_titles(query: SearchQuery, compiled: Compiled) -> Select[Any]:
    """The doc_ids of posts that match ``query`` with every word in the title: from the title's
    own index, which holds the filters' tokens too (migration 0017), where a weight-restricted
    match on the document could not use the GIN index and would read every document. Only
    excluded words are looked for in the document."""
    chosen = _matching(query, TITLE_DOCUMENT, compiled.title)
    if compiled.unexcluded is not None:
        chosen = chosen.where(DOCUMENT.bool_op("@@")(_constant(compiled.unexcluded)))
    return chosen


def _matching(query: SearchQuery, vector: ColumnElement[Any], words: str | None) -> Select[Any]:
    """The doc_ids of posts in the query's dates whose ``vector`` matches ``words`` and the
    query's filters."""
    doc_id = PostSearchRow.doc_id
    chosen = select(doc_id)
    if query.since or query.until:
        low, high = doc_range(query)
        chosen = chosen.where(doc_id.between(_number(low), _number(high)))
    parts = [part for part in (words, facet_tsquery_text(query)) if part is not None]
    if parts:
        both = " & ".join(f"({part})" for part in parts)
        chosen = chosen.where(vector.bool_op("@@")(_constant(both)))
    return chosen


def _newest(chosen: Select[Any], limit: int) -> Subquery:
    return chosen.order_by(chosen.selected_columns[0].desc()).limit(limit).subquery()


def _window_bound() -> ColumnElement[Any]:
    """The doc_id of the ``WINDOW``-th newest post, or the lowest doc_id when there are fewer."""
    doc_id = PostSearchRow.doc_id
    newest = select(doc_id).order_by(doc_id.desc()).offset(WINDOW - 1).limit(1)
    return func.coalesce(newest.scalar_subquery(), LOWEST_DOC_ID)


def _pools_statement(
    query: SearchQuery, compiled: Compiled, candidates: int, count_limit: int
) -> CompoundSelect[Any]:
    """Within the newest ``WINDOW`` posts: the newest matches (kept, MATERIALIZED, for their
    count too); and the title pass over every post, as (kind, value) rows. One round trip."""
    in_window = _filtered(query, compiled).where(PostSearchRow.doc_id >= _number(compiled.bound))
    newest_first = in_window.order_by(PostSearchRow.doc_id.desc()).limit(count_limit)
    kept = newest_first.cte("found").prefix_with("MATERIALIZED")
    recent = _newest(select(kept.c.doc_id), candidates)
    parts = [
        select(literal(0), func.count()).select_from(kept),
        select(literal(1), recent.c.doc_id),
    ]
    if query.terms and candidates:
        parts += _title_parts(query, compiled, candidates)
    return union_all(*parts)


def _title_parts(query: SearchQuery, compiled: Compiled, candidates: int) -> list[Select[Any]]:
    """The newest ``candidates`` posts with every word in the title, as (2, doc_id) rows. First
    those among the newest ``WINDOW`` posts, a bitmap of the title index and the doc_id range
    that visits only their rows; then older ones, only as many as those fell short of (a LIMIT
    of 0 runs nothing): a word in half of all titles is not read from 50,000 rows for 200."""
    doc_id = PostSearchRow.doc_id
    bound = _number(compiled.bound)
    recent = _newest(_in_titles(query, compiled).where(doc_id >= bound), candidates)
    kept = select(recent.c.doc_id).cte("titled").prefix_with("MATERIALIZED")
    short = _number(candidates) - select(func.count()).select_from(kept).scalar_subquery()
    older = _in_titles(query, compiled).where(doc_id < bound).order_by(doc_id.desc())
    rest = older.limit(short).subquery()
    return [select(literal(2), kept.c.doc_id), select(literal(2), rest.c.doc_id)]


def _older_statement(
    query: SearchQuery, compiled: Compiled, span: tuple[int, int], limit: int
) -> Select[Any]:
    """The newest ``limit`` matches with a doc_id in [low, high)."""
    low, high = span
    doc_id = PostSearchRow.doc_id
    older = _filtered(query, compiled).where(doc_id < _number(high))
    if low > LOWEST_DOC_ID:
        older = older.where(doc_id >= _number(low))
    return older.order_by(doc_id.desc()).limit(_number(limit))


def _next_low(compiled: Compiled, high: int, found: int, wanted: int, passes: int) -> int:
    """Where the next pass should stop to find about ``wanted`` more matches, at the rate the
    passes so far found them (``found`` below the newest post, down to ``high``): a GIN bitmap
    of a doc_id range costs the matches in the range, and a phrase a document read for each
    post holding its words, so a common word is not fetched from the whole table for the few
    it still lacks. The first pass asks a quarter more than the rate promises, the second twice
    as much, the third takes the rest; none found so far, the rest too."""
    if found == 0 or passes >= len(_MARGINS):
        return LOWEST_DOC_ID
    covered = max(1, compiled.newest - high)
    reach = covered * wanted * _MARGINS[passes] // found
    return max(LOWEST_DOC_ID, min(high - 1, high - int(reach)))


class PostgresSearch:
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        connection = await session.connection()
        compiled = await Compiled.of(connection, query)
        if candidates and any(len(term) > 1 for term in query.terms):
            # A phrase (or a word in a script without spaces) is checked post by post, by
            # positions read from each document that holds its words: counting a common
            # phrase's matches to a thousand read tens of thousands of documents (250 ms at
            # 100,000 posts). The ranking needs the newest ``candidates``; the count says
            # "more than" beyond them.
            count_limit = min(count_limit, candidates + 1)
        # Not on an error: the transaction is then rolled back, and the settings with it.
        found = await _pools(connection, query, compiled, candidates, count_limit)
        await compiled.restore(connection)
        return replace(found, count_limit=count_limit)

    async def weigh(
        self, session: AsyncSession, query: SearchQuery, doc_ids: list[int], complete: bool
    ) -> list[Candidate]:
        if not query.terms or not doc_ids:
            return [Candidate(doc_id) for doc_id in doc_ids]
        doc_id = PostSearchRow.doc_id
        once, hits = _field_hits(query)
        rows = PostSearchRow.__table__.join(once, true())
        chosen = select(doc_id, *hits).select_from(rows).where(doc_id == _doc_ids(doc_ids))
        terms = len(query.terms)
        found = await (await session.connection()).execute(chosen)
        return [_candidate(row[0], row[1:], terms) for row in found]


async def _pools(
    connection: AsyncConnection,
    query: SearchQuery,
    compiled: Compiled,
    candidates: int,
    limit: int,
) -> Pools:
    pools: tuple[list[int], ...] = ([], [], [])
    statement = _pools_statement(query, compiled, candidates, limit)
    for kind, value in await connection.execute(statement):
        pools[kind].append(int(value))
    [total], recent, titles = pools
    high = compiled.bound
    passes = 0
    while total < limit and high > LOWEST_DOC_ID:
        # Too few matches among the newest posts: the next older ones, from the GIN indexes.
        low = _next_low(compiled, high, total, limit - total, passes)
        passes += 1
        older = _older_statement(query, compiled, (low, high), limit - total)
        found = [int(doc_id) for doc_id in await connection.scalars(older)]
        recent.extend(found[: max(0, candidates - len(recent))])
        total += len(found)
        high = low
    return Pools(recent, total, titles)


def _field_hits(query: SearchQuery) -> tuple[Subquery, list[ColumnElement[Any]]]:
    """One true/false column per (field, term): does the term occur in that field? The
    tsqueries come from a one-row subquery (OFFSET 0 keeps it one), so each is parsed once, not
    once a candidate."""
    sources = [_phrase(term, weight) for weight in FIELDS for term in query.terms]
    parsed = select(*(_tsquery(s).label(f"q{i}") for i, s in enumerate(sources))).offset(0)
    once = parsed.subquery("q")
    return once, [DOCUMENT.bool_op("@@")(column) for column in once.c]


def _candidate(doc_id: object, hits: Sequence[object], terms: int) -> Candidate:
    if not terms:
        return Candidate(int(str(doc_id)))
    shares = [sum(map(bool, hits[i * terms : (i + 1) * terms])) / terms for i in range(3)]
    return Candidate(int(str(doc_id)), *shares)


ENGINE = PostgresSearch()

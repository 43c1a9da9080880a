"""Search on PostgreSQL: a tsquery built from tokens, matched against the GIN-indexed tsvector.

The document's weights tell the fields apart (A title, B TL;DR, C tags, D body), so the share of
terms found in each field is a weight-restricted match on the same vector. Tokens are letters and
digits only and each is quoted, so no text a person types is tsquery syntax.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.store.search.index import DOC_SHIFT
from bot.store.search.pg_statements import (
    COMPILED_SOURCES,
    LOWEST_DOC_ID,
    SETTINGS,
    LowBound,
    Shape,
    compile_statement,
    older_statement,
    pools_statement,
    restore_statement,
    weigh_statement,
)
from bot.store.search.query import SearchQuery, Term
from bot.store.search.terms import Candidate, Pools, doc_range, facet_groups

# Matches are looked for among the newest WINDOW posts first, as a bitmap of the GIN index and
# the doc_id range: cheap while matches are common (a common word fills the candidates within a
# few hundred posts). Rarer matches come from older passes over wider ranges, sized by the rate
# found so far.
WINDOW = 2048
_TITLE_WINDOWS = 15  # the title pass's second range, in windows: see _title_floor
_MARGINS = (1.25, 2.0)  # how far past the expected reach the older passes look, see _next_low
# An older pass reaching no further back than this many windows is matched in the GIN index
# with its bound in seconds (``pg_statements.PUBLISHED``), a wider one through doc_id's btree:
# the GIN index visits an entry for each post in the range, about 0.25 us each, where the
# btree's bitmap costs the range's rows and the GIN index the words' whole lists.
_RECENT_WINDOWS = 4
_NO_POST = "zznever"  # a lexeme no post has: a filter no score can pass
FIELDS = ("A", "B", "C")  # title, summary, tags


def _phrase(term: Term, weight: str = "") -> str:
    suffix = f":{weight}" if weight else ""
    return "(" + " <-> ".join(f"'{token}'{suffix}" for token in term) + ")"


def tsquery_text(query: SearchQuery) -> str | None:
    parts = [_phrase(term) for term in query.terms]
    if query.excluded:
        parts.append("!(" + " | ".join(_phrase(term) for term in query.excluded) + ")")
    return " & ".join(parts) or None


def _loose_text(query: SearchQuery) -> str | None:
    """The query with its phrases as their words in any order, which the index answers without
    reading a document; None when it has no phrase."""
    if not any(len(term) > 1 for term in query.terms):
        return None
    words = tuple((token,) for term in query.terms for token in term)
    return tsquery_text(SearchQuery(terms=words, excluded=query.excluded))


def facet_tsquery_text(query: SearchQuery) -> str | None:
    """The filters as a tsquery of facet lexemes, to be cast, never parsed: a text search
    configuration would drop or change tokens like "zzf8"."""
    groups = [" | ".join(f"'{token}'" for token in group) for group in facet_groups(query)]
    return " & ".join(f"({group})" if group else f"'{_NO_POST}'" for group in groups) or None


def _joined(*parts: str | None) -> str | None:
    present = [f"({part})" for part in parts if part is not None]
    return " & ".join(present) or None


@dataclass(frozen=True, slots=True)
class Compiled:
    """A query's tsqueries, as the server's text search configuration reads them (one round
    trip), and where the newest ``WINDOW`` posts begin."""

    words: str | None  # every term, and no excluded one
    unexcluded: str | None  # no excluded term
    title: str | None  # every term (for the title index)
    loose: str | None  # ``words`` with phrases as their words in any order; None: no phrase
    bound: int  # the first doc_id of the second the ``WINDOW``-th newest post was published in
    newest: int  # the newest post's doc_id
    settings: tuple[str, ...]  # the session's values of ``SETTINGS``, to be restored

    @classmethod
    async def of(cls, connection: AsyncConnection, query: SearchQuery) -> "Compiled":
        sources = {
            "words": tsquery_text(SearchQuery(terms=query.terms, excluded=query.excluded)),
            "unexcluded": tsquery_text(SearchQuery(excluded=query.excluded)),
            "title": " & ".join(_phrase(term) for term in query.terms) or None,
            "loose": _loose_text(query),
        }
        present = tuple(sources[name] is not None for name in COMPILED_SOURCES)
        values = {name: text for name, text in sources.items() if text is not None}
        statement = compile_statement(present)
        row = (await connection.execute(statement, values | {"window_offset": WINDOW - 1})).one()
        words, unexcluded, title, loose, bound, newest, *settings = row
        kept = tuple(str(value) for value in settings[: len(SETTINGS)])
        return cls(words, unexcluded, title, loose, _second(int(bound)), int(newest), kept)

    async def restore(self, connection: AsyncConnection) -> None:
        values = {f"setting{i}": value for i, value in enumerate(self.settings)}
        await connection.execute(restore_statement(), values)


@dataclass(frozen=True, slots=True)
class _Search:
    """A query's statement shape and the values of its parameters."""

    shape: Shape
    values: dict[str, object]
    candidates: int

    @classmethod
    def of(cls, query: SearchQuery, compiled: Compiled, candidates: int) -> "_Search":
        facets = facet_tsquery_text(query)
        document = _joined(compiled.loose or compiled.words, facets)
        dates = bool(query.since or query.until)
        titles = bool(query.terms and candidates)
        excluded = compiled.unexcluded is not None
        values: dict[str, object] = {
            "bound": compiled.bound,
            "bound_second": compiled.bound >> DOC_SHIFT,
            "candidates": candidates,
            "title_floor": _title_floor(compiled),
        }
        if dates:
            values["since_key"], values["until_key"] = doc_range(query)
        if document is not None:
            values["document"] = document
        if titles:
            values["titles"] = _joined(compiled.title, facets)
        if titles and excluded:
            values["excluded"] = compiled.unexcluded
        phrased = compiled.loose is not None
        if phrased:
            values["phrase"] = compiled.words
        shape = Shape(dates, document is not None, titles, titles and excluded, phrased)
        return cls(shape, values, candidates)


def _title_floor(compiled: Compiled) -> int:
    """Where the title pass's second range starts: about fifteen windows below the newest
    ``WINDOW`` posts, as far back in time as their span reaches fifteen times (doc_ids follow
    publication time)."""
    span = compiled.newest - compiled.bound
    return max(LOWEST_DOC_ID, compiled.bound - _TITLE_WINDOWS * span)


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
    return _second(max(LOWEST_DOC_ID, min(high - 1, high - int(reach))))


def _second(doc_id: int) -> int:
    """The first doc_id of ``doc_id``'s second: ranges from it are the same whether bounded by
    doc_id or by the second (``pg_statements.PUBLISHED``)."""
    return doc_id >> DOC_SHIFT << DOC_SHIFT


class PostgresSearch:
    async def pools(
        self, session: AsyncSession, query: SearchQuery, candidates: int, count_limit: int
    ) -> Pools:
        connection = await session.connection()
        compiled = await Compiled.of(connection, query)
        if candidates and compiled.loose is not None:
            # A phrase (or a word in a script without spaces) is checked post by post, by
            # positions read from each document that holds its words: counting a common
            # phrase's matches to a thousand read tens of thousands of documents (250 ms at
            # 100,000 posts). The ranking needs the newest ``candidates``; the count says
            # "more than" beyond them.
            count_limit = min(count_limit, candidates + 1)
        # Not on an error: the transaction is then rolled back, and the settings with it.
        search = _Search.of(query, compiled, candidates)
        found = await _pools(connection, search, compiled, count_limit)
        await compiled.restore(connection)
        return replace(found, count_limit=count_limit)

    async def weigh(
        self, session: AsyncSession, query: SearchQuery, doc_ids: list[int], complete: bool
    ) -> list[Candidate]:
        if not query.terms or not doc_ids:
            return [Candidate(doc_id) for doc_id in doc_ids]
        sources = [_phrase(term, weight) for weight in FIELDS for term in query.terms]
        values: dict[str, object] = {f"field{i}": source for i, source in enumerate(sources)}
        statement = weigh_statement(len(FIELDS), len(query.terms))
        found = await (await session.connection()).execute(statement, values | {"doc_ids": doc_ids})
        terms = len(query.terms)
        return [_candidate(row[0], row[1:], terms) for row in found]


async def _pools(
    connection: AsyncConnection, search: _Search, compiled: Compiled, limit: int
) -> Pools:
    pools: tuple[list[int], ...] = ([], [], [])
    statement = pools_statement(search.shape)
    for kind, value in await connection.execute(statement, search.values | {"count_limit": limit}):
        pools[kind].append(int(value))
    [total], recent, titles = pools
    high = compiled.bound
    passes = 0
    while total < limit and high > LOWEST_DOC_ID:
        # Too few matches among the newest posts: the next older ones, from the GIN indexes.
        low = _next_low(compiled, high, total, limit - total, passes)
        passes += 1
        older = older_statement(search.shape, _low_bound(compiled, low))
        span = {
            "pass_low": low,
            "pass_low_second": low >> DOC_SHIFT,
            "pass_high": high,
            "pass_limit": limit - total,
        }
        found = [int(doc_id) for doc_id in await connection.scalars(older, search.values | span)]
        recent.extend(found[: max(0, search.candidates - len(recent))])
        total += len(found)
        high = low
    return Pools(recent, total, titles)


def _low_bound(compiled: Compiled, low: int) -> LowBound:
    """How a pass from ``low`` is bounded: by its second when it reaches no further back than
    ``_RECENT_WINDOWS`` windows."""
    if low == LOWEST_DOC_ID:
        return "none"
    recent = low >= compiled.newest - _RECENT_WINDOWS * (compiled.newest - compiled.bound)
    return "second" if recent else "doc_id"


def _candidate(doc_id: object, hits: Sequence[object], terms: int) -> Candidate:
    if not terms:
        return Candidate(int(str(doc_id)))
    shares = [sum(map(bool, hits[i * terms : (i + 1) * terms])) / terms for i in range(3)]
    return Candidate(int(str(doc_id)), *shares)


ENGINE = PostgresSearch()

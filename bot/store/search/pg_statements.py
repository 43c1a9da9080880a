"""PostgreSQL's search statements, built once for each shape a query can take and kept.

A shape says which parts a statement has (dates, words, filters, excluded words, a title pass);
everything else is a named parameter. SQLAlchemy then compiles, and the server prepares, each
shape once, and a search builds no statement objects (half a millisecond of CPU for the pools
statement alone). Every plan is still a custom plan (``SETTINGS``), made for the values at hand.
"""

from functools import lru_cache
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    ARRAY,
    BigInteger,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    any_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from bot.store.schema import PostSearchRow
from bot.store.search.index import DOC_SHIFT
from bot.store.search.pg_vectors import PG_CONFIG

LOWEST_DOC_ID = -(2**63)
DOCUMENT = literal_column("post_search.document", TSVECTOR)
# The title alone and the filters' tokens (migrations 0006, 0017), GIN-indexed.
TITLE_DOCUMENT = literal_column("post_search.title_document", TSVECTOR)
# The publication second, both GIN indexes' first column (migration 0019), written as the
# indexes' expression is. A lower bound on it is matched inside the GIN index together with
# the words, which then skips through their lists of posts to the newest; a bound on doc_id
# goes to doc_id's btree instead, the cheaper for a wide range.
PUBLISHED = literal_column(f"(post_search.doc_id >> {DOC_SHIFT})", BigInteger)
# Set for the search's statements and restored after. Index scans and sequential scans off: see
# ``compile_statement``. A custom plan for every execution: the statements are prepared once,
# and the planner still sees each execution's values, a tsquery's word frequencies above all.
# No parallel workers: starting them costs more than a search's bitmap scans.
SETTINGS = {
    "enable_indexscan": "off",
    "enable_seqscan": "off",
    "plan_cache_mode": "force_custom_plan",
    "max_parallel_workers_per_gather": "0",
}
COMPILED_SOURCES = ("words", "unexcluded", "title", "loose")


class Shape(NamedTuple):
    """Which parts a search statement has."""

    dates: bool  # since/until: a doc_id range
    matched: bool  # words or filters to match in the document
    titles: bool  # a title pass (words, and candidates wanted)
    excluded: bool  # excluded words, matched in the document by the title pass
    phrased: bool  # phrases: the index finds their words (``document``), a filter the phrase


def _number(name: str) -> BindParameter[int]:
    return bindparam(name, type_=BigInteger)


def _tsquery(name: str) -> ColumnElement[Any]:
    """A tsquery parameter, cast by the server: in a custom plan the cast of the value is folded
    into a constant, so the planner reads its lexemes' frequencies from the statistics."""
    return cast(bindparam(name, type_=String), TSQUERY)


def _phrase_checked() -> ColumnElement[Any]:
    """The phrase (``phrase``) in each document, as a filter the index cannot take: PostgreSQL
    estimates a phrase of common words, or of Chinese characters, as rare as all its words
    together would be were they independent (11 posts for one in 10,000), and so matched it
    from the index alone, then checked the positions of every post with its words, the newest
    or not. As a filter after the doc_id range it is checked in the range only."""
    return DOCUMENT.bool_op("@@")(_tsquery("phrase")).is_(True)


def _parsed(name: str) -> ColumnElement[Any]:
    """Text parameter read by the text search configuration, as a person's words are."""
    return func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), bindparam(name, type_=String))


@lru_cache(maxsize=8)
def compile_statement(present: tuple[bool, ...]) -> Select[*tuple[Any, ...]]:
    """The query's tsqueries as the server reads them (``present``: which of
    ``COMPILED_SOURCES`` the query has), the doc_id of the ``window_offset``-th newest post and
    of the newest, and the session's settings, which it then changes until ``restore``: neither
    plain index scans nor sequential scans, so no walk down doc_id and no scan of the table that
    reads each document from TOAST (about 10 us a post, a cost the planner does not see); the
    statements after it find their matches as bitmaps of the GIN indexes, which need no document
    read. This statement is planned before it runs, so its own index scan (for the bound) is
    kept."""
    texts = [
        cast(_parsed(name), String) if wanted else literal(None, String)
        for name, wanted in zip(COMPILED_SOURCES, present, strict=True)
    ]
    doc_id = PostSearchRow.doc_id
    bound = select(doc_id).order_by(doc_id.desc()).offset(bindparam("window_offset")).limit(1)
    newest = func.coalesce(select(func.max(doc_id)).scalar_subquery(), 0)
    kept = [func.current_setting(name) for name in SETTINGS]
    changed = [func.set_config(name, value, True) for name, value in SETTINGS.items()]
    window = func.coalesce(bound.scalar_subquery(), LOWEST_DOC_ID)
    return select(*texts, window, newest, *kept, *changed)


@lru_cache(maxsize=1)
def restore_statement() -> Select[*tuple[Any, ...]]:
    """The settings ``compile_statement`` changed, back to ``setting0``… ."""
    restored = [
        func.set_config(name, bindparam(f"setting{i}", type_=String), True)
        for i, name in enumerate(SETTINGS)
    ]
    return select(*restored)


def _matching(dates: bool, vector: ColumnElement[Any], parameter: str | None) -> Select[Any]:
    """The doc_ids of posts in the query's dates whose ``vector`` matches ``parameter``."""
    doc_id = PostSearchRow.doc_id
    chosen = select(doc_id)
    if dates:
        chosen = chosen.where(doc_id.between(_number("since_key"), _number("until_key")))
    if parameter is not None:
        chosen = chosen.where(vector.bool_op("@@")(_tsquery(parameter)))
    return chosen


def _from(low: str) -> ColumnElement[bool]:
    """Posts published from the second ``{low}_second`` on, a bound the GIN index takes: for a
    range of the newest posts. The bound is ``PUBLISHED``'s alone, not doc_id's as well: with
    both, the planner took them for independent and the range for a few posts, and matched
    the words by reading each post's document instead of from the index."""
    return _number(f"{low}_second") <= PUBLISHED


def _newest(chosen: Select[Any], limit: str) -> Subquery:
    column = chosen.selected_columns[0]
    return chosen.order_by(column.desc()).limit(bindparam(limit, type_=Integer)).subquery()


@lru_cache(maxsize=64)
def pools_statement(shape: Shape) -> CompoundSelect[Any]:
    """Within the newest posts (doc_id from ``bound``): the newest ``count_limit`` matches of
    ``document`` (kept, MATERIALIZED, for their count too), the newest ``candidates`` of them;
    and the title pass, as (kind, value) rows. One round trip."""
    doc_id = PostSearchRow.doc_id
    matched = _matching(shape.dates, DOCUMENT, "document" if shape.matched else None)
    in_window = matched.where(_from("bound"))
    if shape.phrased:
        in_window = in_window.where(_phrase_checked())
    in_window = in_window.order_by(doc_id.desc())
    newest_first = in_window.limit(bindparam("count_limit", type_=Integer))
    kept = newest_first.cte("found").prefix_with("MATERIALIZED")
    recent = _newest(select(kept.c.doc_id), "candidates")
    parts = [
        select(literal(0), func.count()).select_from(kept),
        select(literal(1), recent.c.doc_id),
    ]
    if shape.titles:
        parts += _title_parts(shape)
    return union_all(*parts)


def _in_titles(shape: Shape) -> Select[Any]:
    """Posts with every word and the filters' tokens in the title's vector (``titles``): one
    match on the title's own index, where a weight-restricted match on the document could not
    use the GIN index and would read every document. Excluded words are looked for in the
    document (``excluded``)."""
    chosen = _matching(shape.dates, TITLE_DOCUMENT, "titles")
    if shape.excluded:
        chosen = chosen.where(DOCUMENT.bool_op("@@")(_tsquery("excluded")))
    return chosen


def _title_parts(shape: Shape) -> list[Select[Any]]:
    """The newest ``candidates`` posts with every word in the title, as (2, doc_id) rows, in
    three doc_id ranges, newest first: from ``bound`` (the newest posts), from ``title_floor``
    (about fifteen times as many), and the rest. Each range is a bitmap of the title index and
    the range, which visits only its rows, and each takes only as many as the newer ones fell
    short of (a LIMIT of 0 runs nothing): a word in half of all titles is not read from 50,000
    rows for 200, nor for the last 50 of them."""
    doc_id = PostSearchRow.doc_id
    bound, floor = _number("bound"), _number("title_floor")
    ranges = [_from("bound"), and_(doc_id >= floor, doc_id < bound), doc_id < floor]
    parts: list[Select[Any]] = []
    shortfall: ColumnElement[Any] = bindparam("candidates", type_=Integer)
    for number, in_range in enumerate(ranges):
        chosen = _in_titles(shape).where(in_range).order_by(doc_id.desc()).limit(shortfall)
        kept = chosen.cte(f"titled{number}").prefix_with("MATERIALIZED")
        parts.append(select(literal(2), kept.c.doc_id))
        shortfall = shortfall - select(func.count()).select_from(kept).scalar_subquery()
    return parts


# How an older pass is bounded below: not at all, by ``pass_low`` through doc_id's btree, or
# by its second through the GIN index (``_from``, for a range of recent posts).
LowBound = Literal["none", "doc_id", "second"]


@lru_cache(maxsize=64)
def older_statement(shape: Shape, low: LowBound) -> Select[Any]:
    """The newest ``pass_limit`` matches with a doc_id below ``pass_high``, from ``pass_low``
    as ``low`` says."""
    doc_id = PostSearchRow.doc_id
    older = _matching(shape.dates, DOCUMENT, "document" if shape.matched else None)
    older = older.where(doc_id < _number("pass_high"))
    if low == "second":
        older = older.where(_from("pass_low"))
    elif low == "doc_id":
        older = older.where(doc_id >= _number("pass_low"))
    if shape.phrased:
        older = older.where(_phrase_checked())
    return older.order_by(doc_id.desc()).limit(bindparam("pass_limit", type_=Integer))


@lru_cache(maxsize=32)
def weigh_statement(fields: int, terms: int) -> Select[*tuple[Any, ...]]:
    """For each doc_id in ``doc_ids``: one true/false column per (field, term), whether the
    term occurs in that field (the tsquery ``field{i}``). The tsqueries come from a one-row
    subquery (OFFSET 0 keeps it one), so each is parsed once, not once a candidate."""
    names = [f"field{i}" for i in range(fields * terms)]
    parsed = select(*(_parsed(name).label(name) for name in names)).offset(0)
    once = parsed.subquery("q")
    hits = [DOCUMENT.bool_op("@@")(column) for column in once.c]
    doc_id = PostSearchRow.doc_id
    rows = PostSearchRow.__table__.join(once, true())
    doc_ids = any_(bindparam("doc_ids", type_=ARRAY(BigInteger)))
    return select(doc_id, *hits).select_from(rows).where(doc_id == doc_ids)

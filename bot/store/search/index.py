"""Keeping the full-text index in step with the posts, inside the caller's transaction.

Each post gets a ``doc_id`` that sorts by publication time, and one index document: title,
TL;DR ("summary"), body, and "tags" (categories, tags and source labels). Text in scripts
written without spaces is indexed character by character (``scripts``). On SQLite the document goes
into the FTS5 table with ``facets``: exact tokens for category, sentiment and polarity filters,
which FTS5 intersects far faster than a join. On PostgreSQL it is one weighted tsvector. Each
engine also indexes the title alone, with the facets (``post_title_fts``; ``title_document``), so
the search's title pass, filters and all, reads short title entries instead of whole documents.
On PostgreSQL both tsvectors hold the facet tokens as lexemes without positions.
"""

import hashlib
import math
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, delete, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.posts import Post, PostRecord
from bot.store.post_rows import stored_posts_sync
from bot.store.schema import PostSearchRow
from bot.store.search.pg_vectors import PG_CONFIG, insert_documents
from bot.store.search.scripts import spaced

DOC_SHIFT = 16  # low bits of doc_id: a tiebreak between posts published in the same second
POLARITIES = ("positive", "neutral", "negative")
# The filter tokens as lexemes of their own (no stemming, no position): on PostgreSQL too a
# filter is then one more GIN term instead of a join per match (migration 0006 adds them).
PG_FACETS = "array_to_tsvector(string_to_array(:facets, ' '))"

# SQLite only, in the driver's own parameter style (qmark).
_FTS_INSERT = (
    "INSERT INTO post_search_fts (rowid, title, summary, body, tags, facets) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_TITLE_INSERT = "INSERT INTO post_title_fts (rowid, title, facets) VALUES (?, ?, ?)"
_SEARCH_ROW_INSERT = "INSERT INTO post_search (post_id, doc_id, polarity) VALUES (?, ?, ?)"
_FTS_DELETES = [
    text(f"DELETE FROM {table} WHERE rowid IN :doc_ids").bindparams(
        bindparam("doc_ids", expanding=True)
    )
    for table in ("post_search_fts", "post_title_fts")
]
# A schema before migration 0006 (no title index): the migration 0002 fills its index so.
_PG_INSERT_WITHOUT_TITLES = text(
    "INSERT INTO post_search (post_id, doc_id, polarity, document) VALUES ("
    ":post_id, :doc_id, :polarity, "
    f"setweight(to_tsvector('{PG_CONFIG}', :title), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', :summary), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', :tags), 'C') || "
    f"setweight(to_tsvector('{PG_CONFIG}', :body), 'D') || {PG_FACETS})"
)


class Document(NamedTuple):
    """A post's index entry. A tuple: ingestion builds thousands a second."""

    post_id: str
    doc_id: int
    polarity: str | None
    title: str
    summary: str
    body: str
    tags: str
    facets: str


def doc_time_key(seconds: float) -> int:
    """The smallest doc_id of a post published at ``seconds`` since 1970."""
    return math.floor(seconds) << DOC_SHIFT


def polarity(label: str | None, score: float | None) -> str | None:
    """Positive, neutral or negative: the label's word when it has one, else the score's side."""
    words = (label or "").casefold()
    for name in POLARITIES:
        if name in words:
            return name
    if score is None:
        return None
    return "negative" if score < 4 else "positive" if score > 6 else "neutral"


@lru_cache(maxsize=4096)  # a few categories recur in every post an ingest writes
def category_token(key: str) -> str:
    digest = hashlib.sha1(key.casefold().encode("utf-8"), usedforsecurity=False).digest()
    return f"zzc{int.from_bytes(digest[:6], 'big')}"


@lru_cache(maxsize=4096)
def tag_token(key: str) -> str:
    digest = hashlib.sha1(key.casefold().encode("utf-8"), usedforsecurity=False).digest()
    return f"zzt{int.from_bytes(digest[:6], 'big')}"


def score_floor_token(value: int) -> str:
    return f"zzf{value}"


def score_ceiling_token(value: int) -> str:
    return f"zzg{value}"


def polarity_token(name: str) -> str:
    return f"zzp{POLARITIES.index(name)}"


def facets(
    categories: Iterable[str], score: float | None, side: str | None, tags: Iterable[str] = ()
) -> str:
    """A post's filter tokens, space-separated: its categories and tags, its score's floor and
    ceiling, its polarity."""
    tokens = [category_token(name) for name in categories]
    tokens += [tag_token(name) for name in tags]
    if score is not None:
        tokens.append(score_floor_token(math.floor(score)))
        tokens.append(score_ceiling_token(math.ceil(score)))
    if side is not None:
        tokens.append(polarity_token(side))
    return " ".join(tokens)


def document(post: PostRecord) -> Document:
    """A post's index entry, with the doc_id it would like (``index_documents_sync`` settles
    the one it gets). Needs no database, so ingestion builds it ahead of the transaction."""
    side = polarity(post.sentiment_label, post.sentiment_score)
    labels = [*post.categories, *post.tags, *(label for label, _ in post.sources)]
    if post.source_label:
        labels.append(post.source_label)
    return Document(
        post_id=post.id,
        doc_id=_wanted_key(post),
        polarity=side,
        title=spaced(post.title),
        summary=spaced("\n".join(post.tldr)),
        body=spaced(post.body),
        tags=spaced("\n".join(labels)),
        facets=facets(post.categories, post.sentiment_score, side, post.tags),
    )


def _wanted_key(post: PostRecord) -> int:
    tiebreak = zlib.crc32(post.id.encode("utf-8")) & ((1 << DOC_SHIFT) - 1)
    return doc_time_key(post.published_at.timestamp()) | tiebreak


def _assign_keys(connection: Connection, wanted: Sequence[int]) -> list[int]:
    """A doc_id for each wanted one, near it and held by no other post."""
    keys = list(wanted)
    pending = list(range(len(keys)))
    while pending:
        asked = [keys[i] for i in pending]
        query = select(PostSearchRow.doc_id).where(PostSearchRow.doc_id.in_(asked))
        taken = set(connection.scalars(query))
        clashes = []
        for i in pending:
            if keys[i] in taken:
                clashes.append(i)
            taken.add(keys[i])
        for i in clashes:
            keys[i] += 1
        pending = clashes
    return _separate(keys)


def _separate(keys: list[int]) -> list[int]:
    """Keys unique within the batch too (posts in one batch may want the same one)."""
    seen: set[int] = set()
    result = []
    for key in keys:
        while key in seen:
            key += 1
        seen.add(key)
        result.append(key)
    return result


def unindex_sync(connection: Connection, post_ids: Iterable[str]) -> None:
    ids = list(post_ids)
    if not ids:
        return
    removed = delete(PostSearchRow).where(PostSearchRow.post_id.in_(ids))
    doc_ids = list(connection.scalars(removed.returning(PostSearchRow.doc_id)))
    if doc_ids and connection.dialect.name == "sqlite":
        for statement in _FTS_DELETES:
            connection.execute(statement, {"doc_ids": doc_ids})


def index_posts_sync(connection: Connection, posts: Sequence[Post], titles: bool = True) -> None:
    """(Re)index ``posts``: drop whatever the index held for them, then add them as they are.
    ``titles`` False leaves out the title index, for a schema older than migration 0006."""
    index_records_sync(connection, [post.record() for post in posts], titles)


def index_records_sync(
    connection: Connection, posts: Sequence[PostRecord], titles: bool = True
) -> None:
    """``index_posts_sync`` for posts in their plain-tuple form, as ingestion holds them."""
    index_documents_sync(connection, [document(post) for post in posts], titles)


def index_documents_sync(
    connection: Connection, wanted: Sequence[Document], titles: bool = True
) -> None:
    """``index_records_sync`` for entries already built by ``document``."""
    if not wanted:
        return
    unindex_sync(connection, (d.post_id for d in wanted))
    keys = _assign_keys(connection, [d.doc_id for d in wanted])
    # Each document with the doc_id it got, as pairs: ``_replace`` would cost a microsecond a
    # post inside the writer's turn.
    settled = list(zip(wanted, keys, strict=True))
    if connection.dialect.name == "postgresql" and titles:
        insert_documents(connection, settled)
        return
    if connection.dialect.name == "postgresql":  # a schema before migration 0006
        connection.execute(_PG_INSERT_WITHOUT_TITLES, [_pg_values(d, key) for d, key in settled])
        return
    # Plain tuples straight to the driver: SQLAlchemy's per-row parameter handling for text()
    # cost more than the rows' own insert into post_search.
    rows = [(d.post_id, key, d.polarity) for d, key in settled]
    connection.exec_driver_sql(_SEARCH_ROW_INSERT, rows)
    fts = [(key, d.title, d.summary, d.body, d.tags, d.facets) for d, key in settled]
    connection.exec_driver_sql(_FTS_INSERT, fts)
    if titles:
        titled = [(key, d.title, d.facets) for d, key in settled]
        connection.exec_driver_sql(_TITLE_INSERT, titled)


def _pg_values(d: Document, doc_id: int) -> dict[str, object]:
    return {
        "post_id": d.post_id,
        "doc_id": doc_id,
        "polarity": d.polarity,
        "title": d.title,
        "summary": d.summary,
        "body": d.body,
        "tags": d.tags,
        "facets": d.facets,
    }


async def unindex_posts(session: AsyncSession, post_ids: Sequence[str]) -> None:
    await session.run_sync(lambda sync: unindex_sync(sync.connection(), post_ids))


def reindex_all_sync(connection: Connection, batch_size: int = 500) -> None:
    """Index every stored post: the migration that creates the index (0002) fills it this way,
    before migration 0006 has added the title index, which 0006 then fills itself."""
    titles = _has_title_index(connection)
    with Session(bind=connection) as session:
        for posts in stored_posts_sync(session, batch_size):
            index_posts_sync(connection, posts, titles)


def _has_title_index(connection: Connection) -> bool:
    found = inspect(connection)
    if connection.dialect.name == "postgresql":
        return any(c["name"] == "title_document" for c in found.get_columns("post_search"))
    return found.has_table("post_title_fts")

"""PostgreSQL's search vectors, built by the server for a whole batch in one statement.

Building the vectors (``to_tsvector`` over title, TL;DR, tags and body) is most of what storing
a post costs PostgreSQL. Ingestion's lanes write their batches one at a time, in file order, so
a lane builds its batch's vectors before its turn (``stage_vectors``), into a table of its own
session, while another lane writes: the server's tokenizing then runs on every core instead of
inside the one-at-a-time turn, which only copies the staged vectors in. A batch that was not
staged (a small job, a single post) builds them in the insert itself, in the same one statement.
"""

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, text

PG_CONFIG = "newsbot_search"  # the text search configuration (migration 0002)


class Document(Protocol):
    """A post's index entry (``bot.store.search.index.Document``)."""

    @property
    def post_id(self) -> str: ...
    @property
    def polarity(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def tags(self) -> str: ...
    @property
    def facets(self) -> str: ...


_STAGED = "newsbot_staged_search"  # the post ids whose vectors wait in the staging table
_BATCH_COLUMNS = (
    "unnest(CAST(:post_ids AS text[]), CAST(:titles AS text[]), CAST(:summaries AS text[]), "
    "CAST(:tags AS text[]), CAST(:bodies AS text[]), CAST(:facets AS text[])) "
    "AS u(post_id, title, summary, tags, body, facets)"
)
# OFFSET 0 keeps the title's vector and the filter tokens computed once: the title index is the
# two together (migration 0017), the document has the title as its A part and the tokens too.
_VECTORS = (
    "SELECT t.post_id, t.title_vector || t.facet_vector AS title_vector, "
    "setweight(t.title_vector, 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', t.summary), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', t.tags), 'C') || "
    f"setweight(to_tsvector('{PG_CONFIG}', t.body), 'D') || t.facet_vector AS document "
    f"FROM (SELECT u.*, to_tsvector('{PG_CONFIG}', u.title) AS title_vector, "
    "array_to_tsvector(string_to_array(u.facets, ' ')) AS facet_vector "
    f"FROM {_BATCH_COLUMNS} OFFSET 0) AS t"
)
_KEYS = (
    "unnest(CAST(:key_ids AS text[]), CAST(:doc_ids AS bigint[]), CAST(:polarities AS text[])) "
    "AS k(post_id, doc_id, polarity)"
)
_INSERT = "INSERT INTO post_search (post_id, doc_id, polarity, title_document, document) "
_INSERT_BUILT = text(
    _INSERT + f"SELECT k.post_id, k.doc_id, k.polarity, v.title_vector, v.document FROM {_KEYS} "
    f"JOIN ({_VECTORS}) AS v ON v.post_id = k.post_id"
)
_INSERT_STAGED = text(
    _INSERT + f"SELECT k.post_id, k.doc_id, k.polarity, s.title_document, s.document "
    f"FROM {_KEYS} JOIN pg_temp.{_STAGED} AS s ON s.post_id = k.post_id"
)
_STAGING_TABLE = text(
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGED} "
    "(post_id text PRIMARY KEY, title_document tsvector NOT NULL, document tsvector NOT NULL)"
)
_CLEAR = text(f"TRUNCATE pg_temp.{_STAGED}")
# Out of line without a try at compressing it first, which a tsvector fails (migration 0016).
_STAGING_STORAGE = text(f"ALTER TABLE {_STAGED} ALTER COLUMN document SET STORAGE EXTERNAL")
_STAGE = text(f"INSERT INTO pg_temp.{_STAGED} (post_id, title_document, document) {_VECTORS}")


def stage_vectors(connection: Connection, documents: Sequence[Document]) -> None:
    """Build these documents' vectors now, in this session's staging table, for
    ``insert_documents`` to take in a later transaction on the same connection. A batch in
    which two files claim one post id is left to build its vectors in its turn, where it is
    settled which of the two is stored."""
    post_ids = {d.post_id for d in documents}
    if len(post_ids) < len(documents):
        return
    connection.execute(_STAGING_TABLE)
    if not connection.info.get("newsbot_staged_external"):  # once a session, not a batch
        connection.execute(_STAGING_STORAGE)
        connection.info["newsbot_staged_external"] = True
    connection.execute(_CLEAR)
    connection.execute(_STAGE, _texts(documents))
    connection.info[_STAGED] = post_ids


def insert_documents(connection: Connection, settled: Sequence[tuple[Document, int]]) -> None:
    """Insert each document with the doc_id it settled on: its vectors taken from the staging
    table when all of them were staged on this connection, else built here."""
    staged: set[str] = connection.info.pop(_STAGED, set())
    post_ids = [d.post_id for d, _ in settled]
    keys = {
        "key_ids": post_ids,
        "doc_ids": [doc_id for _, doc_id in settled],
        "polarities": [d.polarity for d, _ in settled],
    }
    if staged.issuperset(post_ids):
        connection.execute(_INSERT_STAGED, keys)
    else:
        connection.execute(_INSERT_BUILT, keys | _texts([d for d, _ in settled]))


def _texts(documents: Sequence[Document]) -> dict[str, list[str]]:
    return {
        "post_ids": [d.post_id for d in documents],
        "titles": [d.title for d in documents],
        "summaries": [d.summary for d in documents],
        "tags": [d.tags for d in documents],
        "bodies": [d.body for d in documents],
        "facets": [d.facets for d in documents],
    }

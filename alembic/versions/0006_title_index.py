"""A title-only full-text index beside the whole-document one, so "every word in the title"
is answered from titles alone instead of checking every matching document's position lists
(SQLite) or decompressing every matching document's tsvector (PostgreSQL). On PostgreSQL the
documents also gain the filter tokens SQLite's ``facets`` column holds, as lexemes without
positions, so a filter is one more GIN term instead of a join checked per match.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same tokenizer as post_search_fts (0002): the two must agree on what a word is. The facets
# column holds the same filter tokens, so a filtered title pass stays one FTS5 match.
_SQLITE_TITLES = """
CREATE VIRTUAL TABLE post_title_fts USING fts5(
    title, facets,
    tokenize = 'porter unicode61 remove_diacritics 2'
)
"""
_SQLITE_FILL = (
    "INSERT INTO post_title_fts (rowid, title, facets) "
    "SELECT rowid, title, facets FROM post_search_fts"
)
_PG_POSTS = (
    "SELECT s.post_id, s.polarity, p.sentiment_score, "
    "array_remove(array_agg(c.name ORDER BY c.position), NULL) "
    "FROM post_search s JOIN posts p ON p.id = s.post_id "
    "LEFT JOIN post_categories c ON c.post_id = s.post_id "
    "GROUP BY s.post_id, s.polarity, p.sentiment_score"
)
# Only facet lexemes come without positions: every word of the text has one.
_PG_UNFACET = (
    "UPDATE post_search SET document = ts_delete(document, "
    "ARRAY(SELECT u.lexeme FROM unnest(document) AS u WHERE u.positions IS NULL))"
)
_PG_FILL = (
    "UPDATE post_search SET title_document = to_tsvector('newsbot_search', posts.title) "
    "FROM posts WHERE posts.id = post_search.post_id"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE post_search ADD COLUMN title_document tsvector")
        op.execute(_PG_FILL)
        op.execute("ALTER TABLE post_search ALTER COLUMN title_document SET NOT NULL")
        op.execute(
            "CREATE INDEX ix_post_search_title_document ON post_search USING gin (title_document)"
        )
        _add_facets()
    else:
        op.execute(_SQLITE_TITLES)
        op.execute(_SQLITE_FILL)


def _add_facets() -> None:
    """The filter tokens of every indexed post, computed by the code ingestion uses."""
    from bot.store.search.index import PG_FACETS, facets

    bind = op.get_bind()
    values = [
        {"post_id": post_id, "facets": facets(categories, score, side)}
        for post_id, side, score, categories in bind.execute(sa.text(_PG_POSTS))
    ]
    if values:
        add = f"UPDATE post_search SET document = document || {PG_FACETS} WHERE post_id = :post_id"
        bind.execute(sa.text(add), values)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_UNFACET)
        op.execute("DROP INDEX ix_post_search_title_document")
        op.execute("ALTER TABLE post_search DROP COLUMN title_document")
    else:
        op.execute("DROP TABLE post_title_fts")

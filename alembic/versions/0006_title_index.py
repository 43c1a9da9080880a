"""A title-only full-text index beside the whole-document one, so "every word in the title"
is answered from titles alone instead of checking every matching document's position lists
(SQLite) or decompressing every matching document's tsvector (PostgreSQL).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

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
    else:
        op.execute(_SQLITE_TITLES)
        op.execute(_SQLITE_FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_post_search_title_document")
        op.execute("ALTER TABLE post_search DROP COLUMN title_document")
    else:
        op.execute("DROP TABLE post_title_fts")

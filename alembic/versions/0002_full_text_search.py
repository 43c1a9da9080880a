"""Full-text search: SQLite FTS5 or a PostgreSQL tsvector with a GIN index, filled for every post.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tokenizer: Porter stemming over Unicode words, case and accents folded.
_SQLITE_FTS = """
CREATE VIRTUAL TABLE post_search_fts USING fts5(
    title, summary, body, tags, facets,
    tokenize = 'porter unicode61 remove_diacritics 2'
)
"""
# English stemming without a stop-word list (so "the who" finds what SQLite finds), accents
# folded by unaccent where the server has it.
_PG_DICTIONARY = (
    "CREATE TEXT SEARCH DICTIONARY newsbot_english_stem (TEMPLATE = snowball, Language = english)"
)
_PG_CONFIGURATION = "CREATE TEXT SEARCH CONFIGURATION newsbot_search (COPY = pg_catalog.english)"
_PG_WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
_PG_HAS_UNACCENT = "SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'"


def upgrade() -> None:
    op.create_table(
        "post_search",
        sa.Column("post_id", sa.String(200), nullable=False),
        sa.Column("doc_id", sa.BigInteger(), nullable=False),
        sa.Column("polarity", sa.String(8), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_search_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_post_search")),
        sa.UniqueConstraint("doc_id", name=op.f("uq_post_search_doc_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgres_index()
    else:
        op.execute(_SQLITE_FTS)
    _index_existing_posts()


def _create_postgres_index() -> None:
    dictionaries = "newsbot_english_stem"
    if op.get_bind().execute(sa.text(_PG_HAS_UNACCENT)).scalar():
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        dictionaries = "unaccent, newsbot_english_stem"
    op.execute(_PG_DICTIONARY)
    op.execute(_PG_CONFIGURATION)
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION newsbot_search "
        f"ALTER MAPPING FOR {_PG_WORD_TOKENS} WITH {dictionaries}"
    )
    op.execute("ALTER TABLE post_search ADD COLUMN document tsvector NOT NULL")
    op.execute("CREATE INDEX ix_post_search_document ON post_search USING gin (document)")


def _index_existing_posts() -> None:
    """Posts stored before this revision get indexed now, by the same code ingestion uses."""
    from bot.store.search.index import reindex_all_sync

    reindex_all_sync(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("post_search")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsbot_search")
        op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS newsbot_english_stem")
    else:
        op.execute("DROP TABLE post_search_fts")
        op.drop_table("post_search")

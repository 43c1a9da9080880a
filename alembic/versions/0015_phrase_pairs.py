"""PostgreSQL phrases found through an index of neighbouring-word pairs.

``phrase_document`` holds every pair of neighbouring words of a post (``bot.store.search.
shingles``) as lexemes without positions, GIN-indexed: a phrase of two common words is then one
index lookup instead of a check of every post with both words. It is only ever read through its
index, so it is stored out of line without compression (EXTERNAL). Existing rows get their pairs
here. SQLite's FTS5 index has positions and needs none of this.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 500
_FILL = sa.text(
    "UPDATE post_search AS s "
    "SET phrase_document = array_to_tsvector(string_to_array(u.phrases, :separator)) "
    "FROM unnest(CAST(:post_ids AS text[]), CAST(:phrases AS text[])) AS u(post_id, phrases) "
    "WHERE s.post_id = u.post_id"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE post_search ADD COLUMN phrase_document tsvector NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE post_search ALTER COLUMN phrase_document DROP DEFAULT")
    op.execute("ALTER TABLE post_search ALTER COLUMN phrase_document SET STORAGE EXTERNAL")
    _fill()
    op.execute(
        "CREATE INDEX ix_post_search_phrase_document ON post_search USING gin (phrase_document)"
    )
    op.execute("ANALYZE post_search")


def _fill() -> None:
    """Every stored post's pairs, made by the code ingestion uses."""
    from sqlalchemy.orm import Session

    from bot.store.post_rows import stored_posts_sync
    from bot.store.search.index import document
    from bot.store.search.shingles import SEPARATOR, document_pairs

    bind = op.get_bind()
    with Session(bind=bind) as session:
        for posts in stored_posts_sync(session, _BATCH):
            documents = [document(post.record()) for post in posts]
            values = {
                "separator": SEPARATOR,
                "post_ids": [d.post_id for d in documents],
                "phrases": [
                    document_pairs((d.title, d.summary, d.tags, d.body)) for d in documents
                ],
            }
            bind.execute(_FILL, values)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_post_search_phrase_document")
    op.execute("ALTER TABLE post_search DROP COLUMN phrase_document")

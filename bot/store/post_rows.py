"""Posts as rows: a stored row back into a ``Post``, and every stored post for a migration."""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.posts import Post, Source
from bot.store.schema import PostCategoryRow, PostRow


def post_from_row(row: Any, categories: Sequence[str]) -> Post:
    """A post from a row that carries the ``posts`` table's columns (from a caller's own
    select, joined as it needs), given its categories in order."""
    return Post(
        id=row.id,
        title=row.title,
        categories=tuple(categories),
        published_at=row.published_at,
        source_url=row.source_url,
        sentiment_score=row.sentiment_score,
        sentiment_label=row.sentiment_label,
        tldr=tuple(row.tldr),
        body=row.body,
        sources=tuple(Source(label, url) for label, url in row.sources),
        content_hash=row.content_hash,
    )


def stored_posts_sync(session: Session, batch_size: int) -> Iterator[list[Post]]:
    """Every stored post, in batches, through a synchronous session (for migrations)."""
    ids = list(session.scalars(select(PostRow.id).order_by(PostRow.id)))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        rows = session.scalars(select(PostRow).where(PostRow.id.in_(chunk))).all()
        names: dict[str, list[str]] = {post_id: [] for post_id in chunk}
        query = (
            select(PostCategoryRow.post_id, PostCategoryRow.name)
            .where(PostCategoryRow.post_id.in_(chunk))
            .order_by(PostCategoryRow.post_id, PostCategoryRow.position)
        )
        for post_id, name in session.execute(query):
            names[post_id].append(name)
        yield [post_from_row(row, names[row.id]) for row in rows]

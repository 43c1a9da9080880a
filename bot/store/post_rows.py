"""Posts as rows: a stored row back into a ``Post``, and every stored post for a migration."""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, inspect, null, select
from sqlalchemy.orm import Session

from bot.posts import Post, Source
from bot.store.schema import PostCategoryRow, PostRow


def post_from_row(row: Any, topics: Sequence[str]) -> Post:
    """A post from a row that carries the ``posts`` table's columns (from a caller's own
    select, joined as it needs), given its ``post_categories`` names in order: its categories,
    then its tags (which the row lists too)."""
    tags = tuple(row.tags or ())
    return Post(
        id=row.id,
        title=row.title,
        categories=tuple(topics[: len(topics) - len(tags)]) if tags else tuple(topics),
        published_at=row.published_at,
        source_url=row.source_url,
        sentiment_score=row.sentiment_score,
        sentiment_label=row.sentiment_label,
        tldr=tuple(row.tldr),
        body=row.body,
        sources=tuple(Source(label, url) for label, url in row.sources),
        content_hash=row.content_hash,
        tags=tags,
        source_label=row.source_label,
        author=row.author,
        image=row.image,
    )


def _existing_columns(session: Session) -> Select[Any]:
    """The posts table's columns at the schema's current revision (a migration runs at an older
    one than these models describe); a column added since is read as null."""
    existing = {column["name"] for column in inspect(session.connection()).get_columns("posts")}
    posts = PostRow.__table__
    return select(
        *(
            column if column.name in existing else null().label(column.name)
            for column in posts.columns
        )
    )


def stored_posts_sync(session: Session, batch_size: int) -> Iterator[list[Post]]:
    """Every stored post, in batches, through a synchronous session (for migrations)."""
    ids = list(session.scalars(select(PostRow.id).order_by(PostRow.id)))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        rows = session.execute(_existing_columns(session).where(PostRow.id.in_(chunk))).all()
        names: dict[str, list[str]] = {post_id: [] for post_id in chunk}
        query = (
            select(PostCategoryRow.post_id, PostCategoryRow.name)
            .where(PostCategoryRow.post_id.in_(chunk))
            .order_by(PostCategoryRow.post_id, PostCategoryRow.position)
        )
        for post_id, name in session.execute(query):
            names[post_id].append(name)
        yield [post_from_row(row, names[row.id]) for row in rows]

"""Reading and writing posts. These functions never commit: the caller owns the transaction."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post, PostRecord, Source
from bot.store.bulk import write_rows
from bot.store.schema import Base, PostCategoryRow, PostFileRow, PostRow


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What ingestion remembers of a post file, to skip it cheaply while it has not changed."""

    path: str
    post_id: str
    size: int
    mtime_ns: int
    content_hash: str


async def file_stamps(session: AsyncSession) -> dict[str, FileStamp]:
    """Every known file, by path. Plain rows, not ORM objects: this runs over the whole index."""
    columns = (
        PostFileRow.path,
        PostFileRow.post_id,
        PostFileRow.size,
        PostFileRow.mtime_ns,
        PostFileRow.content_hash,
    )
    result = await session.execute(select(*columns))
    return {row[0]: FileStamp(*row) for row in result}


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


_POST_COLUMNS = (
    "id",
    "title",
    "published_at",
    "source_url",
    "sentiment_score",
    "sentiment_label",
    "tldr",
    "body",
    "sources",
    "content_hash",
    "path",
)
_CATEGORY_COLUMNS = ("post_id", "key", "name", "position")
_FILE_COLUMNS = ("path", "post_id", "size", "mtime_ns", "content_hash")


def _post_row(post: PostRecord, path: str) -> tuple[Any, ...]:
    """A post's values in ``_POST_COLUMNS`` order."""
    return (
        *(post.id, post.title, post.published_at, post.source_url, post.sentiment_score),
        *(post.sentiment_label, post.tldr, post.body, post.sources, post.content_hash, path),
    )


def _category_rows(post: PostRecord) -> Iterable[tuple[str, str, str, int]]:
    for position, name in enumerate(post.categories):
        yield post.id, name.casefold(), name, position


def _file_row(stamp: FileStamp) -> tuple[str, str, int, int, str]:
    return stamp.path, stamp.post_id, stamp.size, stamp.mtime_ns, stamp.content_hash


async def save_posts(session: AsyncSession, saved: Sequence[tuple[Post, FileStamp]]) -> None:
    """Insert or replace posts, their categories and their files' stamps."""
    await save_records(session, [(post.record(), stamp) for post, stamp in saved])


async def save_records(
    session: AsyncSession, saved: Sequence[tuple[PostRecord, FileStamp]]
) -> None:
    """``save_posts`` for posts in their plain-tuple form, as ingestion's workers send them."""
    if not saved:
        return
    posts = [_post_row(post, stamp.path) for post, stamp in saved]
    shared = {"updated_at": datetime.now(UTC)}
    await write_rows(session, _table(PostRow), _POST_COLUMNS, ("id",), posts, shared)
    post_ids = [post.id for post, _ in saved]
    await session.execute(delete(PostCategoryRow).where(PostCategoryRow.post_id.in_(post_ids)))
    categories = [row for post, _ in saved for row in _category_rows(post)]
    await write_rows(session, _table(PostCategoryRow), _CATEGORY_COLUMNS, (), categories)
    await save_stamps(session, [stamp for _, stamp in saved])


async def save_stamps(session: AsyncSession, stamps: Sequence[FileStamp]) -> None:
    """Remember files, by path, as their posts' current files."""
    rows = [_file_row(stamp) for stamp in stamps]
    await write_rows(session, _table(PostFileRow), _FILE_COLUMNS, ("path",), rows)


async def forget_files(session: AsyncSession, paths: Collection[str]) -> None:
    if paths:
        await session.execute(delete(PostFileRow).where(PostFileRow.path.in_(paths)))


def _to_post(row: PostRow, categories: Sequence[str]) -> Post:
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


async def _categories_of(session: AsyncSession, post_ids: Sequence[str]) -> dict[str, list[str]]:
    query = (
        select(PostCategoryRow.post_id, PostCategoryRow.name)
        .where(PostCategoryRow.post_id.in_(post_ids))
        .order_by(PostCategoryRow.post_id, PostCategoryRow.position)
    )
    names: dict[str, list[str]] = {post_id: [] for post_id in post_ids}
    for post_id, name in await session.execute(query):
        names[post_id].append(name)
    return names


async def latest_posts(
    session: AsyncSession, limit: int, category: str | None = None
) -> list[Post]:
    """The newest posts first, optionally only those in a category (matched ignoring case)."""
    query = select(PostRow).order_by(PostRow.published_at.desc(), PostRow.id).limit(limit)
    if category is not None:
        query = query.join(PostCategoryRow).where(PostCategoryRow.key == category.casefold())
    rows = (await session.scalars(query)).all()
    categories = await _categories_of(session, [row.id for row in rows])
    return [_to_post(row, categories[row.id]) for row in rows]


async def category_counts(session: AsyncSession) -> dict[str, int]:
    """Every category name in use, with how many posts it holds, most used first."""
    count = func.count(PostCategoryRow.post_id)
    query = (
        select(func.min(PostCategoryRow.name), count)
        .group_by(PostCategoryRow.key)
        .order_by(count.desc(), PostCategoryRow.key)
    )
    return {name: total for name, total in await session.execute(query)}

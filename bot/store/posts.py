"""Reading and writing posts. These functions never commit: the caller owns the transaction."""

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import JSON, Connection, Dialect, Table, delete, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from bot.posts import Post, PostRecord, Source
from bot.store.bulk import encode_rows, upsert_statement, write_rows
from bot.store.changes import mark_posts_changed
from bot.store.schema import Base, PostCategoryRow, PostFileRow, PostRow
from bot.store.search_index import Document, document, index_documents_sync, unindex_posts

STAMPS_PER_PIECE = 2000


class FileStamp(NamedTuple):
    """What ingestion remembers of a post file, to skip it cheaply while it has not changed.
    A tuple in the ``post_files`` columns' order: a re-scan builds one per known file, and a
    tuple is several times cheaper to build than an object."""

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
    # Through Core, not the ORM: its row loading costs more than the query at 100,000 files.
    # In pieces: a whole large index at once would hold up everything else on the event loop.
    connection = await session.connection()
    result = await connection.stream(select(*columns))
    stamps: dict[str, FileStamp] = {}
    async for rows in result.partitions(STAMPS_PER_PIECE):
        stamps.update((row[0], FileStamp._make(row)) for row in rows)
    return stamps


def _upsert(session: AsyncSession, table: Table, keys: Sequence[str]) -> Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE every other column, on either engine."""
    columns = tuple(column.name for column in table.columns)
    return upsert_statement(session.get_bind().dialect, table, columns, tuple(keys))


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


def _post_row(post: PostRecord, path: str) -> tuple[Any, ...]:
    """A post's values in ``_POST_COLUMNS`` order."""
    return (
        *(post.id, post.title, post.published_at, post.source_url, post.sentiment_score),
        *(post.sentiment_label, post.tldr, post.body, post.sources, post.content_hash, path),
    )


def _category_rows(post: PostRecord) -> Iterable[tuple[str, str, str, int]]:
    for position, name in enumerate(post.categories):
        yield post.id, name.casefold(), name, position


async def save_posts(session: AsyncSession, saved: Sequence[tuple[Post, FileStamp]]) -> None:
    """Insert or replace posts, their categories and their files' stamps."""
    records = [(post.record(), stamp) for post, stamp in saved]
    if records:
        mark_posts_changed(session)
        await session.run_sync(lambda sync: save_records(sync.connection(), records))


class PreparedPost(NamedTuple):
    """A post's rows, encoded for the database: everything about saving it that needs no
    database, so ingestion prepares one batch while another is written."""

    record: PostRecord
    row: tuple[Any, ...]  # in ``_POST_COLUMNS`` order, encoded
    categories: list[tuple[str, str, str, int]]
    document: Document


def prepare_posts(dialect: Dialect, posts: Sequence[tuple[PostRecord, str]]) -> list[PreparedPost]:
    """Each (post, path of its file) ready for ``save_prepared``."""
    rows = [_post_row(post, path) for post, path in posts]
    encoded = encode_rows(dialect, _table(PostRow), _POST_COLUMNS, rows)
    return [
        PreparedPost(post, row, list(_category_rows(post)), document(post))
        for (post, _), row in zip(posts, encoded, strict=True)
    ]


def save_records(connection: Connection, saved: Sequence[tuple[PostRecord, FileStamp]]) -> None:
    """``save_posts`` for posts in their plain-tuple form, through a synchronous connection."""
    prepared = prepare_posts(connection.dialect, [(post, stamp.path) for post, stamp in saved])
    save_prepared(connection, list(zip(prepared, [stamp for _, stamp in saved], strict=True)))


def save_prepared(connection: Connection, saved: Sequence[tuple[PreparedPost, FileStamp]]) -> None:
    """Insert or replace prepared posts, their categories, their files' stamps and their index
    entries (ingestion's worker processes write through a synchronous connection of their own)."""
    if not saved:
        return
    shared = {"updated_at": datetime.now(UTC)}
    posts = [post.row for post, _ in saved]
    write_rows(connection, _table(PostRow), _POST_COLUMNS, ("id",), posts, shared, encoded=True)
    post_ids = [post.record.id for post, _ in saved]
    connection.execute(delete(PostCategoryRow).where(PostCategoryRow.post_id.in_(post_ids)))
    categories = [row for post, _ in saved for row in post.categories]
    write_rows(connection, _table(PostCategoryRow), _CATEGORY_COLUMNS, (), categories)
    save_stamps(connection, [stamp for _, stamp in saved])
    index_documents_sync(connection, [post.document for post, _ in saved])


def save_stamps(connection: Connection, stamps: Sequence[FileStamp]) -> None:
    """Remember files, by path, as their posts' current files."""
    write_rows(connection, _table(PostFileRow), FileStamp._fields, ("path",), stamps)


def forget_files(connection: Connection, paths: Collection[str]) -> None:
    if paths:
        connection.execute(delete(PostFileRow).where(PostFileRow.path.in_(paths)))


class FileOwner(NamedTuple):
    """The file a post was last read from, and that file's content hash."""

    path: str
    content_hash: str


def file_owners(connection: Connection, post_ids: Collection[str]) -> dict[str, FileOwner]:
    """For each of these post ids, the file that holds it now: the post's own file, while that
    file's stamp still names the post (a file whose title changed has moved on to another id)."""
    if not post_ids:
        return {}
    posts, files = PostRow.__table__, PostFileRow.__table__
    query = (
        select(posts.c.id, files.c.path, files.c.content_hash)
        .join(files, (files.c.path == posts.c.path) & (files.c.post_id == posts.c.id))
        .where(posts.c.id.in_(post_ids))
    )
    return {post_id: FileOwner(path, digest) for post_id, path, digest in connection.execute(query)}


def _to_post(row: Any, categories: Sequence[str]) -> Post:
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
    session: AsyncSession, limit: int, category: str | None = None, offset: int = 0
) -> list[Post]:
    """The newest posts first, optionally only those in a category (matched ignoring case)."""
    posts = PostRow.__table__
    named = _category_list(session, posts.c.id).label("category_list")
    query = (
        select(posts, named)
        .order_by(posts.c.published_at.desc(), posts.c.id)
        .limit(limit)
        .offset(offset)
    )
    if category is not None:
        query = query.join(PostCategoryRow).where(PostCategoryRow.key == category.casefold())
    rows = (await session.execute(query)).all()
    return [_to_post(row, _in_order(row.category_list)) for row in rows]


def _category_list(session: AsyncSession, post_id: Any) -> Any:
    """A post's categories as one JSON array of [position, name] pairs, read in the same query
    as the post (one trip to the database instead of two); each engine has its own aggregate."""
    columns = (PostCategoryRow.position, PostCategoryRow.name)
    pairs: Any
    if session.get_bind().dialect.name == "postgresql":
        pairs = func.json_agg(func.json_build_array(*columns))
    else:
        pairs = func.json_group_array(func.json_array(*columns))
    chosen = select(pairs).where(PostCategoryRow.post_id == post_id)
    return type_coerce(chosen.correlate_except(PostCategoryRow).scalar_subquery(), JSON)


def _in_order(pairs: Any) -> list[str]:
    return [name for _, name in sorted(pairs or [])]


async def posts_by_id(session: AsyncSession, post_ids: Collection[str]) -> dict[str, Post]:
    """The posts with these ids that exist, by id."""
    if not post_ids:
        return {}
    posts = PostRow.__table__
    rows = (await session.execute(select(posts).where(posts.c.id.in_(post_ids)))).all()
    categories = await _categories_of(session, [row.id for row in rows])
    return {row.id: _to_post(row, categories[row.id]) for row in rows}


def post_from_row(row: Any, categories: Sequence[str]) -> Post:
    """A post from a row that carries the ``posts`` table's columns (from a caller's own
    select, joined as it needs), given its categories in order."""
    return _to_post(row, categories)


async def has_category(session: AsyncSession, category: str) -> bool:
    query = select(PostCategoryRow.post_id).where(PostCategoryRow.key == category.casefold())
    return await session.scalar(query.limit(1)) is not None


async def recent_categories(session: AsyncSession, posts: int) -> list[str]:
    """The categories of the newest ``posts`` posts, most used first: cheap at any size."""
    newest = select(PostRow.id).order_by(PostRow.published_at.desc()).limit(posts)
    names = await _categories_of(session, list(await session.scalars(newest)))
    counts = Counter(name for found in names.values() for name in found)
    return [name for name, _ in counts.most_common()]


async def category_counts(session: AsyncSession) -> dict[str, int]:
    """Every category name in use, with how many posts it holds, most used first."""
    count = func.count(PostCategoryRow.post_id)
    query = (
        select(func.min(PostCategoryRow.name), count)
        .group_by(PostCategoryRow.key)
        .order_by(count.desc(), PostCategoryRow.key)
    )
    return {name: total for name, total in await session.execute(query)}


async def delete_post(session: AsyncSession, post_id: str) -> bool:
    """Remove a post with its categories, file stamps and index entry; False if there was none."""
    mark_posts_changed(session)
    await unindex_posts(session, [post_id])
    result = await session.execute(delete(PostRow).where(PostRow.id == post_id))
    return bool(getattr(result, "rowcount", 0))


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
        yield [_to_post(row, names[row.id]) for row in rows]


async def count_posts(session: AsyncSession) -> int:
    """How many posts there are (the health check shows it)."""
    return await session.scalar(select(func.count()).select_from(PostRow)) or 0


async def category_name(session: AsyncSession, wanted: str) -> str | None:
    """The stored name of the category ``wanted`` names, ignoring case; None if there is none."""
    query = select(PostCategoryRow.name).where(PostCategoryRow.key == wanted.casefold()).limit(1)
    return await session.scalar(query)


async def category_stats(session: AsyncSession) -> list[tuple[str, int, datetime]]:
    """Each category's name, post count and newest post date, most used first."""
    count = func.count(PostCategoryRow.post_id)
    query = (
        select(func.min(PostCategoryRow.name), count, func.max(PostRow.published_at))
        .join(PostRow, PostRow.id == PostCategoryRow.post_id)
        .group_by(PostCategoryRow.key)
        .order_by(count.desc(), PostCategoryRow.key)
    )
    return [(name, total, newest) for name, total, newest in await session.execute(query)]


async def get_post(session: AsyncSession, post_id: str) -> Post | None:
    row = await session.get(PostRow, post_id)
    if row is None:
        return None
    categories = await _categories_of(session, [row.id])
    return _to_post(row, categories[row.id])


async def post_ids_like(session: AsyncSession, fragment: str, limit: int) -> list[str]:
    """Post ids that contain ``fragment`` (a mistyped or shortened id), newest first."""
    pattern = "%" + fragment.replace("\\", "").replace("%", "").replace("_", "") + "%"
    query = (
        select(PostRow.id)
        .where(PostRow.id.like(pattern))
        .order_by(PostRow.published_at.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def posts_published_between(
    session: AsyncSession, after: datetime, until: datetime, category_keys: Collection[str] | None
) -> list[Post]:
    """Posts published in (after, until], oldest first, optionally only in these categories
    (case-folded keys)."""
    query = (
        select(PostRow)
        .where(PostRow.published_at > after, PostRow.published_at <= until)
        .order_by(PostRow.published_at, PostRow.id)
    )
    if category_keys is not None:
        in_categories = select(PostCategoryRow.post_id).where(
            PostCategoryRow.key.in_(category_keys)
        )
        query = query.where(PostRow.id.in_(in_categories))
    rows = (await session.scalars(query)).all()
    categories = await _categories_of(session, [row.id for row in rows])
    return [_to_post(row, categories[row.id]) for row in rows]

"""Writing posts, their categories, index entries and files' stamps, and reading the stamps
back. These functions never commit: the caller owns the transaction."""

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post, PostRecord
from bot.store.bulk import encode_rows, table_of, write_rows
from bot.store.changes import mark_posts_changed
from bot.store.pg_copy import can_copy, copy_rows, split_stored
from bot.store.schema import PostCategoryRow, PostFileRow, PostRow
from bot.store.search.index import Document, document, index_documents_sync
from bot.store.search.pg_vectors import stage_vectors


class FileStamp(NamedTuple):
    """What ingestion remembers of a post file, to skip it cheaply while it has not changed.
    A tuple in the ``post_files`` columns' order: a re-scan builds one per known file, and a
    tuple is several times cheaper to build than an object."""

    path: str
    post_id: str
    size: int
    mtime_ns: int
    content_hash: str


async def file_post_id(session: AsyncSession, path: str) -> str | None:
    """The id of the post the file at ``path`` (absolute) holds, if the store knows the file."""
    return await session.scalar(select(PostFileRow.post_id).where(PostFileRow.path == path))


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
    "tags",
    "source_label",
    "author",
    "image",
)
_CATEGORY_COLUMNS = ("post_id", "key", "name", "position", "tag")


def _post_row(post: PostRecord, path: str) -> tuple[Any, ...]:
    """A post's values in ``_POST_COLUMNS`` order."""
    return (
        *(post.id, post.title, post.published_at, post.source_url, post.sentiment_score),
        *(post.sentiment_label, post.tldr, post.body, post.sources, post.content_hash, path),
        *(post.tags, post.source_label, post.author, post.image),
    )


def _category_rows(post: PostRecord) -> Iterable[tuple[str, str, str, int, bool]]:
    """Categories, then tags: one list of topics, so a tag is found wherever a category is."""
    for position, name in enumerate(post.categories):
        yield post.id, name.casefold(), name, position, False
    start = len(post.categories)
    for position, name in enumerate(post.tags, start):
        yield post.id, name.casefold(), name, position, True


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
    categories: list[tuple[str, str, str, int, bool]]
    document: Document


def prepare_posts(dialect: Dialect, posts: Sequence[tuple[PostRecord, str]]) -> list[PreparedPost]:
    """Each (post, path of its file) ready for ``save_prepared``."""
    rows = [_post_row(post, path) for post, path in posts]
    encoded = encode_rows(dialect, table_of(PostRow), _POST_COLUMNS, rows)
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
    entries (ingestion's worker processes write through a synchronous connection of their own).
    A post saved twice (two files that claim it) is stored as the later one says."""
    if not saved:
        return
    posts = list({post.record.id: post for post, _ in saved}.values())
    if can_copy(connection):
        _copy_posts(connection, posts)
    else:
        _write_posts(connection, posts)
    save_stamps(connection, [stamp for _, stamp in saved])
    index_documents_sync(connection, [post.document for post in posts])


def _write_posts(connection: Connection, posts: Sequence[PreparedPost]) -> None:
    if not posts:
        return
    shared = {"updated_at": datetime.now(UTC)}
    rows = [post.row for post in posts]
    write_rows(connection, table_of(PostRow), _POST_COLUMNS, ("id",), rows, shared, encoded=True)
    post_ids = [post.record.id for post in posts]
    connection.execute(delete(PostCategoryRow).where(PostCategoryRow.post_id.in_(post_ids)))
    categories = [row for post in posts for row in post.categories]
    write_rows(connection, table_of(PostCategoryRow), _CATEGORY_COLUMNS, (), categories)


def _copy_posts(connection: Connection, posts: Sequence[PreparedPost]) -> None:
    """``_write_posts`` with COPY for the posts not stored yet (most, in a large ingest)."""
    stored, new = split_stored(connection, table_of(PostRow), "id", posts, _post_id)
    _write_posts(connection, stored)
    # Each new row's updated_at, encoded as the column's bind processor does it.
    now = [(datetime.now(UTC),)]
    moment = encode_rows(connection.dialect, table_of(PostRow), ("updated_at",), now)[0]
    rows = [post.row + moment for post in new]
    copy_rows(connection, table_of(PostRow), (*_POST_COLUMNS, "updated_at"), rows)
    categories = [row for post in new for row in post.categories]
    table = table_of(PostCategoryRow)
    encoded = encode_rows(connection.dialect, table, _CATEGORY_COLUMNS, categories)
    copy_rows(connection, table, _CATEGORY_COLUMNS, encoded)


def _post_id(post: PreparedPost) -> str:
    return post.record.id


def stage_posts(connection: Connection, posts: Sequence[PreparedPost]) -> None:
    """On PostgreSQL, build these posts' search vectors ahead of ``save_prepared`` on the same
    connection (see ``bot.store.search.pg_vectors``); nothing to do on SQLite."""
    if connection.dialect.name == "postgresql" and posts:
        stage_vectors(connection, [post.document for post in posts])


def save_stamps(connection: Connection, stamps: Sequence[FileStamp]) -> None:
    """Remember files, by path, as their posts' current files."""
    table = table_of(PostFileRow)
    if can_copy(connection):
        stamps, new = split_stored(connection, table, "path", stamps, _path)
        copy_rows(connection, table, FileStamp._fields, new)
    write_rows(connection, table, FileStamp._fields, ("path",), stamps)


def _path(stamp: FileStamp) -> str:
    return stamp.path


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

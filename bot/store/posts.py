"""Reading posts, and deleting one. These functions never commit: the caller owns the
transaction. Writing posts and their files' stamps is ``post_writes``."""

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    bindparam,
    delete,
    false,
    func,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posts import Post
from bot.store.changes import mark_posts_changed
from bot.store.post_rows import post_from_row
from bot.store.schema import PostCategoryRow, PostFileRow, PostRow
from bot.store.search.index import unindex_posts

_PIECE = 500  # ids per statement: well inside either engine's limit on parameters
# How many of the newest posts are walked for those in a category (see _in_category).
_WALK = 5000


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


# How a page's posts are chosen: the newest, or a category's (see ``_walked``, ``_indexed``).
_Choice = Literal["newest", "walked", "indexed"]


async def latest_posts(
    session: AsyncSession, limit: int, category: str | None = None, offset: int = 0
) -> list[Post]:
    """The newest posts first, optionally only those in a category (matched ignoring case).
    In a category, the newest ``_WALK`` posts are looked through first (see ``_walked``);
    only when they hold too few of its posts is the category read whole (``_indexed``)."""
    window: dict[str, object] = {"limit": limit, "offset": offset}
    if category is None:
        return await _page(session, "newest", window)
    window["key"] = category.casefold()
    found = await _page(session, "walked", window)
    if len(found) < limit:
        found = await _page(session, "indexed", window)
    return found


async def _page(session: AsyncSession, choice: _Choice, params: dict[str, object]) -> list[Post]:
    """The page of posts ``choice`` picks (see ``_page_statement``), read whole with their
    categories."""
    connection = await session.connection()
    statement = _page_statement(connection.dialect.name, choice)
    rows = (await connection.execute(statement, params)).all()
    return [post_from_row(row, _in_order(row.category_list)) for row in rows]


@lru_cache(maxsize=8)
def _page_statement(dialect: str, choice: _Choice) -> Select[Any]:
    """A page of posts, newest first, ``limit`` of them from ``offset`` on, read whole with
    their categories (only the page's posts are read whole). ``choice`` picks them: the newest
    (``newest``), or those in the category ``key``, found by walking the newest posts
    (``walked``) or through the categories' index (``indexed``). Built once, with its values as
    parameters: building a statement costs more than running it."""
    posts = PostRow.__table__
    newest = select(posts.c.id).order_by(posts.c.published_at.desc(), posts.c.id)
    if choice == "walked":
        # The floor is found in the same statement; with fewer posts than ``_WALK`` it is
        # null, and the walk finds nothing.
        floor = _walk_floor_query().scalar_subquery()
        newest = _walked(newest, bindparam("key"), floor)
    elif choice == "indexed":
        newest = _indexed(newest, bindparam("key"))
    page = newest.limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    named = _category_list(dialect, posts.c.id).label("category_list")
    return (
        select(posts, named)
        .join(page, page.c.id == posts.c.id)
        .order_by(posts.c.published_at.desc(), posts.c.id)
    )


def _walked(
    newest: Select[Any], key: str | ColumnElement[str], floor: datetime | ColumnElement[datetime]
) -> Select[Any]:
    """``newest`` (posts newest first) narrowed to a category by walking the ``published_at``
    index down to ``floor`` and keeping the posts in the category: a category holding one post
    in ``k`` needs about ``k`` steps a post shown, however many posts there are."""
    posts = PostRow.__table__
    in_it = select(PostCategoryRow.post_id).where(
        PostCategoryRow.key == key, PostCategoryRow.post_id == posts.c.id
    )
    # Said outright: with ``key`` a column two statements out, SQLAlchemy would correlate
    # only ``posts`` and read the column's table here afresh.
    in_it = in_it.correlate_except(PostCategoryRow)
    return newest.where(posts.c.published_at >= floor, in_it.exists())


def _indexed(newest: Select[Any], key: str | ColumnElement[str]) -> Select[Any]:
    """``newest`` narrowed to a category read whole from its own index and sorted: what the
    category holds is the cost, for categories too rare among the newest posts to walk."""
    return newest.join(PostCategoryRow).where(PostCategoryRow.key == key)


def _walk_floor_query() -> Select[datetime]:
    """The date of the ``_WALK``-th newest post; none when there are fewer posts than that."""
    query = select(PostRow.published_at).order_by(PostRow.published_at.desc())
    return query.offset(_WALK - 1).limit(1)


def _category_list(dialect: str, post_id: Any) -> Any:
    """A post's categories as one JSON array of [position, name] pairs, read in the same query
    as the post (one trip to the database instead of two); each engine has its own aggregate."""
    columns = (PostCategoryRow.position, PostCategoryRow.name)
    pairs: Any
    if dialect == "postgresql":
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
    return {row.id: post_from_row(row, categories[row.id]) for row in rows}


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
    """Every topic name in use (categories and tags), with how many posts it holds, most used
    first."""
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


async def delete_posts(session: AsyncSession, post_ids: Sequence[str]) -> None:
    """Remove posts with their categories, file stamps, index entries and delivery ledger rows
    (the messages already in Slack stay there)."""
    if post_ids:
        mark_posts_changed(session)
        await unindex_posts(session, post_ids)
        await session.execute(delete(PostRow).where(PostRow.id.in_(post_ids)))


async def forget_gone_files(session: AsyncSession, paths: Sequence[str]) -> int:
    """Forget files that are gone and remove the posts no remaining file holds; how many posts
    were removed. A file a rename has already handed on is no longer known, so it removes
    nothing."""
    held: set[str] = set()
    for start in range(0, len(paths), _PIECE):
        piece = paths[start : start + _PIECE]
        gone = delete(PostFileRow).where(PostFileRow.path.in_(piece))
        held.update(await session.scalars(gone.returning(PostFileRow.post_id)))
    candidates = sorted(held)
    orphans: list[str] = []
    for start in range(0, len(candidates), _PIECE):
        piece = candidates[start : start + _PIECE]
        still = select(PostFileRow.post_id).where(PostFileRow.post_id.in_(piece))
        kept = set(await session.scalars(still))
        orphans += [post_id for post_id in piece if post_id not in kept]
    for start in range(0, len(orphans), _PIECE):
        await delete_posts(session, orphans[start : start + _PIECE])
    return len(orphans)


async def count_posts(session: AsyncSession) -> int:
    """How many posts there are (the health check shows it)."""
    return await session.scalar(select(func.count()).select_from(PostRow)) or 0


async def category_name(session: AsyncSession, wanted: str) -> str | None:
    """The stored name of the category ``wanted`` names, ignoring case; None if there is none."""
    connection = await session.connection()
    name: str | None = await connection.scalar(
        _category_name_statement(), {"key": wanted.casefold()}
    )
    return name


@lru_cache(maxsize=1)
def _category_name_statement() -> Select[str]:
    return select(PostCategoryRow.name).where(PostCategoryRow.key == bindparam("key")).limit(1)


async def category_stats(session: AsyncSession) -> list[tuple[str, int, datetime]]:
    """Each category's name, post count and newest post date, most used first (tags aside:
    a site may have hundreds), in one statement."""
    connection = await session.connection()
    found = await connection.execute(_category_stats_statement())
    return [(name, total, newest) for name, total, newest in found]


@lru_cache(maxsize=1)
def _category_stats_statement() -> Select[Any, int, datetime]:
    """The counts read an index of the categories' rows only (migration 0018); each newest
    date is found as ``latest`` finds a category's newest post, not by reading every post's
    date. Built once."""
    counted = PostCategoryRow.__table__.alias("counted")
    count = func.count()  # every row: post_id is never null, and this needs no post_id read
    return (
        select(func.min(counted.c.name), count, _newest_in(counted.c.key))
        .where(counted.c.tag == false())  # never null: `=` can use the index, `IS` cannot
        .group_by(counted.c.key)
        .order_by(count.desc(), counted.c.key)
    )


def _newest_in(key: ColumnElement[str]) -> ColumnElement[datetime]:
    """The newest post date in the category ``key`` (a column of the enclosing statement):
    walked for among the newest ``_WALK`` posts, else read from the category's own index."""
    posts = PostRow.__table__
    newest = select(posts.c.published_at).order_by(posts.c.published_at.desc()).limit(1)
    walked = _walked(newest, key, _walk_floor_query().scalar_subquery())
    return func.coalesce(walked.scalar_subquery(), _indexed(newest, key).scalar_subquery())


async def get_post(session: AsyncSession, post_id: str) -> Post | None:
    """The post with this id, read with its categories in one statement; None if none."""
    connection = await session.connection()
    statement = _post_statement(connection.dialect.name)
    row = (await connection.execute(statement, {"post_id": post_id})).first()
    return None if row is None else post_from_row(row, _in_order(row.category_list))


@lru_cache(maxsize=2)
def _post_statement(dialect: str) -> Select[Any]:
    posts = PostRow.__table__
    named = _category_list(dialect, posts.c.id).label("category_list")
    return select(posts, named).where(posts.c.id == bindparam("post_id"))


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
    return [post_from_row(row, categories[row.id]) for row in rows]

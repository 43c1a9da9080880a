"""``latest`` in a category, found either way the store may look (a small category through its
own index, a large one by walking the newest posts): the same posts, in the same order, with
the same pages, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest

from bot.news.ingest.scan import ingest
from bot.store import Store
from bot.store import posts as store_posts
from bot.store.posts import category_stats, latest_posts
from tests.support.factory import write_post


async def titles(store: Store, category: str, limit: int, offset: int = 0) -> list[str]:
    async with store.sessions() as session:
        found = await latest_posts(session, limit, category, offset=offset)
    return [post.title for post in found]


@pytest.fixture
async def newsroom(store: Store, posts_dir: Path) -> Store:
    """Twelve posts, every third in Science; two share a date, so the id breaks the tie."""
    for number in range(12):
        category = "Science" if number % 3 == 0 else "Politics"
        day = min(number, 10) + 1  # posts 10 and 11 share a date
        write_post(
            posts_dir,
            f"post-{number:02d}.md",
            title=f"Story {number:02d}",
            category=category,
            date=f"2026-11-{day:02d} 09:00:00",
        )
    await ingest(store, [posts_dir])
    return store


async def test_a_small_and_a_large_category_give_the_same_pages(
    newsroom: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [
        (category, limit, offset)
        for category in ("science", "Politics")
        for limit, offset in ((2, 0), (3, 2), (5, 6))
    ]
    through_index = [await titles(newsroom, *page) for page in pages]
    monkeypatch.setattr(store_posts, "_SMALL_CATEGORY", 1)  # every category is large
    walked = [await titles(newsroom, *page) for page in pages]
    assert walked == through_index
    assert through_index[0] == ["Story 09", "Story 06"]
    assert through_index[3] == ["Story 10", "Story 11"]  # same date: by id


async def test_category_stats_name_the_newest_post_either_way(
    newsroom: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with newsroom.sessions() as session:
        small = await category_stats(session)
    monkeypatch.setattr(store_posts, "_SMALL_CATEGORY", 1)
    async with newsroom.sessions() as session:
        large = await category_stats(session)
    assert small == large
    assert [(name, count, newest.day) for name, count, newest in small] == [
        ("Politics", 8, 11),
        ("Science", 4, 10),
    ]

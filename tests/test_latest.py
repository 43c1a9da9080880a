"""``latest`` in a category, found either way the store may look (walking the newest posts, or
through the category's own index when those hold too few of its posts): the same posts, in the
same order, with the same pages, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest

from bot.store import Store
from bot.store import posts as store_posts
from bot.store.posts import category_stats, latest_posts
from tests.support.factory import write_post
from tests.support.ingesting import ingest


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


# How many of the newest posts are walked: none (fewer posts than that), a few (then the
# category's index finishes most pages), and all of them.
WALKS = (5000, 1, 4, 12)


async def test_every_walk_gives_the_same_pages(
    newsroom: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [
        (category, limit, offset)
        for category in ("science", "Politics")
        for limit, offset in ((2, 0), (3, 2), (5, 6))
    ]
    seen = []
    for walk in WALKS:
        monkeypatch.setattr(store_posts, "_WALK", walk)
        seen.append([await titles(newsroom, *page) for page in pages])
    assert all(pages_seen == seen[0] for pages_seen in seen)
    assert seen[0][0] == ["Story 09", "Story 06"]
    assert seen[0][3] == ["Story 10", "Story 11"]  # same date: by id


async def test_category_stats_name_the_newest_post_whatever_the_walk(
    newsroom: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    for walk in WALKS:
        monkeypatch.setattr(store_posts, "_WALK", walk)
        async with newsroom.sessions() as session:
            seen.append(await category_stats(session))
    assert all(stats == seen[0] for stats in seen)
    assert [(name, count, newest.day) for name, count, newest in seen[0]] == [
        ("Politics", 8, 11),
        ("Science", 4, 10),
    ]

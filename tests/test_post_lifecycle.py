"""Deleting and renaming post files, on SQLite and PostgreSQL, with subscribed channels: a post
whose file is gone leaves the store and search on the next scan (its Slack messages stay); a
renamed file, or one whose title changed, keeps its post and is not delivered again."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.news.search.query import parse_query
from bot.store import Store
from bot.store.posts import get_post, latest_posts
from bot.store.search.queries import search_posts
from bot.store.search.query import SearchQuery
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import new_post, running, subscribe, until_settled
from tests.support.ingesting import ingest
from tests.test_delivery import posted_ids


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


async def _search(store: Store, text: str) -> list[str]:
    query = parse_query(text, datetime.now(UTC))
    assert isinstance(query, SearchQuery)
    async with store.sessions() as session:
        page = await search_posts(session, query)
    return [hit.post.id for hit in page.hits]


async def _delivered(store: Store, slack: DeliveryEmulator) -> Counter[tuple[str, str]]:
    async with running(store, slack):
        await until_settled(store)
    return posted_ids(slack)


async def test_a_deleted_file_takes_its_post_out_of_the_store_and_search(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    kept = new_post(posts_dir, "budget-vote", title="Budget vote counted")
    gone = new_post(posts_dir, "zeppelin-ban", title="Zeppelin ban passes")
    await ingest(store, [posts_dir])
    assert len(await _delivered(store, slack)) == 2
    gone.unlink()
    report = await ingest(store, [posts_dir])
    assert (report.removed, report.unchanged) == (1, 1)
    async with store.sessions() as session:
        assert await get_post(session, gone.stem) is None
        assert [post.id for post in await latest_posts(session, 10)] == [kept.stem]
    assert await _search(store, "zeppelin") == []
    # What was delivered stays in Slack (the two went out as one grouped message).
    assert len(slack.messages) == 1 and not slack.sent("chat.delete")


async def test_an_unreadable_directory_removes_nothing(store: Store, posts_dir: Path) -> None:
    new_post(posts_dir, "budget-vote")
    await ingest(store, [posts_dir])
    report = await ingest(store, [posts_dir / "missing"])
    assert report.removed == 0 and report.rejected
    async with store.sessions() as session:
        assert len(await latest_posts(session, 10)) == 1


async def test_a_renamed_file_keeps_its_post_and_is_not_delivered_again(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    first = new_post(posts_dir, "budget-vote", title="Budget vote counted")
    await ingest(store, [posts_dir])
    assert await _delivered(store, slack) == Counter({("C1", first.stem): 1})
    moved = posts_dir / "archive" / "renamed-budget.md"
    moved.parent.mkdir()
    first.rename(moved)
    report = await ingest(store, [posts_dir])
    assert (report.new, report.removed) == (0, 0)
    assert await _delivered(store, slack) == Counter({("C1", first.stem): 1})
    assert await _search(store, "budget") == [first.stem]


async def test_a_changed_title_is_the_same_post_edited_in_place(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    path = new_post(posts_dir, "x", title="Budget vote counted")
    named = path.rename(posts_dir / "budget.md")  # not a Jekyll name: the id comes from the title
    await ingest(store, [posts_dir])
    assert await _delivered(store, slack) == Counter({("C1", "budget-vote-counted"): 1})
    named.write_text(named.read_text().replace("Budget vote counted", "Budget vote recounted"))
    report = await ingest(store, [posts_dir])
    assert (report.new, report.updated) == (0, 1)
    assert await _delivered(store, slack) == Counter({("C1", "budget-vote-counted"): 1})
    assert slack.sent("chat.update")  # the delivered message shows the new title
    async with store.sessions() as session:
        post = await get_post(session, "budget-vote-counted")
    assert post is not None and post.title == "Budget vote recounted"

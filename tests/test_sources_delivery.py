"""What sources bring reaches subscribed channels through the real delivery engine and the
Slack emulator, on SQLite and PostgreSQL: a commit that adds and edits posts does exactly what
the same change in the posts directory does; an entry edited upstream becomes a
``chat.update``; a source failing for a day is reported once, by DM, to the primary owner."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from bot.news.sources import manage
from bot.news.sources.runner import SourceRunner
from bot.news.sources.sync import SourcePlaces
from bot.slack.operator import OperatorNotice
from bot.slack.publisher import EVENT_TYPE
from bot.store import Store
from bot.store.deliveries import SENT
from bot.store.sources import Fetched, claim_sources, record_fetch
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import (
    ingest_dir,
    rows,
    running,
    slack_client,
    subscribe,
    until_settled,
)
from tests.support.factory import write_post
from tests.support.sources import FeedServer, GitRepo, runner_for

TODAY = datetime.now(UTC)


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.close()


def runner_in(store: Store, tmp_path: Path) -> SourceRunner:
    return runner_for(store, SourcePlaces(tmp_path / "sources"))


class Publishing(Protocol):
    """Where posts are published: files written, then made visible to newsbot."""

    folder: Path

    async def publish(self) -> None: ...


class PostsDirectory:
    def __init__(self, store: Store, tmp_path: Path) -> None:
        self.store, self.folder = store, tmp_path / "posts"

    async def publish(self) -> None:
        await ingest_dir(self.store, self.folder)


class GitSource:
    def __init__(self, store: Store, tmp_path: Path) -> None:
        self.store, self.repo = store, GitRepo(tmp_path / "upstream")
        self.folder = self.repo.path / "_posts"
        self.runner = runner_in(store, tmp_path)
        self.source_id: int | None = None

    async def publish(self) -> None:
        self.repo.commit("today's posts")
        if self.source_id is None:
            self.source_id = (await manage.add_git(self.store, self.repo.url, None, None)).id
        await self.runner.sync_now([self.source_id])


def dated(title: str, category: str) -> dict[str, str]:
    return {"title": title, "category": category, "date": f"{TODAY:%Y-%m-%d %H:%M:%S}"}


def posted(slack: DeliveryEmulator) -> Counter[str]:
    counts: Counter[str] = Counter()
    for params in slack.sent("chat.postMessage"):
        meta = params.get("metadata") or {}
        if meta.get("event_type") == EVENT_TYPE:
            counts.update(meta["event_payload"]["post_ids"].split())
    return counts


@pytest.mark.parametrize("place", [PostsDirectory, GitSource], ids=["posts-dir", "git"])
async def test_a_commit_reaches_a_subscribed_channel_as_the_posts_directory_does(
    store: Store, slack: DeliveryEmulator, tmp_path: Path, place: type[Publishing]
) -> None:
    publishing = place(store, tmp_path)  # type: ignore[call-arg]
    day = f"{TODAY:%Y-%m-%d}"
    await subscribe(store, "C1", "Politics", "Transport")
    write_post(publishing.folder, f"{day}-wall.md", **dated("Harbour wall approved", "Politics"))
    write_post(publishing.folder, f"{day}-cats.md", **dated("Cat show", "Pets"))
    async with running(store, slack):
        await publishing.publish()
        await until_settled(store)
        first = posted(slack)
        write_post(publishing.folder, f"{day}-wall.md", **dated("Harbour wall: vote", "Politics"))
        write_post(publishing.folder, f"{day}-ferry.md", **dated("Ferry times", "Transport"))
        await publishing.publish()
        await slack.wait_for("chat.update")
        await until_settled(store)
    assert first == {f"{day}-wall": 1}  # the cat show is in no subscribed category
    assert posted(slack) == {f"{day}-wall": 1, f"{day}-ferry": 1}
    (update,) = slack.sent("chat.update")
    assert "Harbour wall: vote" in update["text"]
    ledger = await rows(store)
    assert {row.key.post_id for row in ledger} == {f"{day}-wall", f"{day}-ferry"}
    assert all(row.state == SENT for row in ledger)


async def test_an_entry_edited_upstream_updates_its_message(
    store: Store, slack: DeliveryEmulator, feeds: FeedServer, tmp_path: Path
) -> None:
    await subscribe(store, "C1", "Transport")
    runner = runner_in(store, tmp_path)
    source = await manage.add_feed(store, feeds.serve("gazette", "wordpress-rss2.xml"), None)
    async with running(store, slack):
        await runner.sync_now([source.id])
        await until_settled(store)
        feeds.serve("gazette", "wordpress-rss2-edited.xml")
        await runner.sync_now([source.id])
        await slack.wait_for("chat.update")
        await until_settled(store)
        await runner.sync_now([source.id])  # unchanged since: nothing more goes out
        await until_settled(store)
    assert len(slack.sent("chat.postMessage")) == 1
    (update,) = slack.sent("chat.update")
    assert "Ferry timetable changes for the winter season (updated)" in update["text"]
    (row,) = await rows(store)
    assert row.state == SENT


async def test_a_source_failing_for_a_day_is_reported_once_to_the_primary_owner(
    store: Store, slack: DeliveryEmulator, tmp_path: Path
) -> None:
    slack.add_user("U0MEMBER", "member")
    slack.add_user("U0OWNER", "owner", is_primary_owner=True, is_owner=True)
    source = await manage.add_feed(store, "http://127.0.0.1:9/feed.xml", None)
    yesterday = datetime.now(UTC) - timedelta(days=1, minutes=1)
    async with store.sessions.begin() as session:  # it first failed a day ago
        [claimed] = await claim_sources(session, "earlier", yesterday, yesterday, 1, [source.id])
        failed = Fetched(error="cannot reach the feed: refused")
        await record_fetch(session, "earlier", claimed, failed, yesterday, yesterday)
    runner = runner_in(store, tmp_path)
    runner.on_failing = OperatorNotice(slack_client(slack))
    await runner.sync_now()
    await runner.sync_now()  # still failing: not reported again
    (dm,) = slack.sent("chat.postMessage")
    assert dm["channel"] == "D0OWNER"
    assert dm["text"].startswith(
        f":warning: newsbot's source {source.id} (feed http://127.0.0.1:9/feed.xml) has been "
        f"failing since {yesterday:%Y-%m-%d %H:%M} UTC: cannot reach the feed:"
    )

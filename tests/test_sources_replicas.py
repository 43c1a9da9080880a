"""Two ``newsbot serve`` replicas on one PostgreSQL database follow the same git repository
and feed: each source is fetched by one of them at a time, and each post reaches each
subscribed channel exactly once."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.news.sources import manage
from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from bot.store.deliveries import SENT
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import rows, subscribe, until
from tests.support.replicas import Replica, start_replica
from tests.support.sources import FeedServer, GitRepo
from tests.test_delivery import posted_ids

pytestmark = pytest.mark.slow

CHANNELS = [f"C{n:02d}" for n in range(12)]
NOW = datetime.now(UTC)


@pytest.fixture
async def store(postgres_url: str) -> AsyncIterator[Store]:
    engine = create_engine(postgres_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    opened = await open_store(postgres_url)
    yield opened
    await opened.close()


async def all_sent(store: Store, expected: int) -> None:
    async def done() -> bool:
        states = [row.state for row in await rows(store)]
        return len(states) == expected and set(states) == {SENT}

    await until(done)


async def test_two_replicas_deliver_each_post_of_a_repository_and_a_feed_once(
    store: Store, postgres_url: str, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "site")
    for slug in ("wall", "bridge"):
        repo.post(f"{NOW:%Y-%m-%d}-{slug}.md", title=f"The {slug}", date=f"{NOW:%Y-%m-%d %H:%M:%S}")
    repo.commit("two posts")
    slack, feeds = DeliveryEmulator(), FeedServer()
    await slack.start()
    await feeds.start()
    for channel in CHANNELS:
        await subscribe(store, channel, "*")
    await manage.add_git(store, repo.url, None, None)
    await manage.add_feed(store, feeds.serve("gazette", "wordpress-rss2.xml"), None)
    (tmp_path / "posts").mkdir()
    settings = {"NEWSBOT_SOURCE_INTERVAL": "0.5", "NEWSBOT_SOURCES_DIR": str(tmp_path / "shared")}
    replicas: list[Replica] = []
    try:
        for name in ("a", "b"):
            replicas.append(
                await start_replica(
                    name, slack, postgres_url, tmp_path / "posts", tmp_path, **settings
                )
            )
        await all_sent(store, len(CHANNELS) * 4)
        repo.post(f"{NOW:%Y-%m-%d}-tunnel.md", title="The tunnel", date=f"{NOW:%Y-%m-%d %H:%M:%S}")
        repo.commit("one more")
        await all_sent(store, len(CHANNELS) * 5)
    finally:
        await asyncio.gather(*(replica.stop() for replica in replicas))
        await feeds.close()
        await slack.close()
    posts = {row.key.post_id for row in await rows(store)}
    assert len(posts) == 5
    assert posted_ids(slack) == Counter({(c, p): 1 for c in CHANNELS for p in posts})
    # Both replicas fetched sources all along (every half second); the lease kept it to one at
    # a time, so neither read a half-written working copy or wrote a post twice.
    logs = [replica.log.read_text() for replica in replicas]
    assert all("rejected" not in log and "Traceback" not in log for log in logs)
    for source in await manage.list_sources(store):
        assert source.last_error is None and source.posts in (2, 3)

"""Multi-workspace mode on PostgreSQL with two ``newsbot serve`` replicas: an install started on
one replica finishes on the other (the OAuth state lives in the shared database), each
workspace's posts carry its own token whichever replica sends them, and an uninstall received
by one replica stops the other's deliveries to that workspace too."""

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from tests.support.bot_server import SIGNING_SECRET
from tests.support.factory import STANDARD_POSTS, write_post
from tests.support.installs import (
    INGEST_TOKEN,
    NEWSROOM,
    SPORTSDESK,
    install_at,
    installed_keys,
    news,
    post_news_at,
    receiver,
    subscribe,
    subscribed,
    uninstall,
    until,
)
from tests.support.replicas import Replica, start_replica
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_oauth import CLIENT_ID, CLIENT_SECRET
from tests.support.slack_requests import SlackSender

pytestmark = pytest.mark.slow

MULTI = {
    "SLACK_BOT_TOKEN": "",
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "NEWSBOT_INGEST_TOKEN": INGEST_TOKEN,
}


@pytest.fixture
async def shared(postgres_url: str) -> AsyncIterator[Store]:
    engine = create_engine(postgres_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(postgres_url)
    yield store
    await store.close()


async def test_two_replicas_serve_two_workspaces_and_an_uninstall_reaches_both(
    shared: Store, slack: SlackEmulator, tmp_path: Path
) -> None:
    posts_dir = tmp_path / "posts"
    for name, fields in STANDARD_POSTS.items():
        write_post(posts_dir, name, **fields)
    start = [start_replica(n, slack, shared.url, posts_dir, tmp_path, **MULTI) for n in "ab"]
    replicas: list[Replica] = [await begun for begun in start]
    a, b = replicas
    try:
        async with aiohttp.ClientSession() as session:
            senders = [
                SlackSender(session, r.url + "/slack/events", SIGNING_SECRET) for r in replicas
            ]
            assert (await install_at(a.url, slack, NEWSROOM, finish_at=b.url)).status == 200
            assert (await install_at(b.url, slack, SPORTSDESK, finish_at=a.url)).status == 200
            await subscribe(senders[0], slack, NEWSROOM)
            await subscribe(senders[1], slack, SPORTSDESK)
            await post_news_at(session, a.url, "budget.md", news("Budget passes"))
            first = await slack.wait_for("chat.postMessage", 2)
            assert {receiver(slack, call) for call in first if call.ok} == {NEWSROOM, SPORTSDESK}

            await uninstall(senders[1], NEWSROOM)
            await until(lambda: installed_keys(shared), {"T0SPORTS"})
            await post_news_at(session, b.url, "flood.md", news("Flood warning"))
            calls = await slack.wait_for("chat.postMessage", 3)
    finally:
        for replica in replicas:
            await replica.stop()
    assert receiver(slack, calls[2]) == SPORTSDESK
    assert [receiver(slack, call) for call in calls].count(NEWSROOM) == 1
    assert await subscribed(shared, "T0NEWSROOM") == []

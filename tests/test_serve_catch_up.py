"""``newsbot serve`` answers at once, however many new posts its directory holds: it reads them
in the background, says so in ``/healthz``, and delivers the ones a channel asked for once each."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot import messages
from bot.store import Store
from bot.store.deliveries import SENT
from bot.store.schema import PostRow
from tests.support.bot_server import BOT_TOKEN, SIGNING_SECRET
from tests.support.delivery_helpers import rows, subscribe
from tests.support.factory import post_text
from tests.support.newsbot_process import free_port, health, listening_newsbot
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import SlackSender
from tests.test_delivery import posted_ids

# 20,000 files read by a real process: many seconds.
pytestmark = pytest.mark.slow

POSTS = 20_000
SCIENCE_EVERY = 4_000  # every 4,000th post is in the category a channel subscribed to
CHANNEL = "C0SCIENCE"
GUARD_SECONDS = 300.0  # against a hanging test on a busy machine, not a timing assertion


def write_posts(posts_dir: Path) -> None:
    """POSTS new files, newest last, spread over directories as a real archive would be."""
    start = datetime.now(UTC) - timedelta(minutes=POSTS)
    for index in range(POSTS):
        moment = start + timedelta(minutes=index)
        category = "Science" if index % SCIENCE_EVERY == 0 else "Politics"
        text = post_text(
            title=f"Story {index}", category=category, date=f"{moment:%Y-%m-%d %H:%M:%S}"
        )
        shard = posts_dir / f"{index // 1000:02d}"
        shard.mkdir(parents=True, exist_ok=True)
        (shard / f"{moment:%Y-%m-%d}-story-{index}.md").write_text(text, encoding="utf-8")


async def stored_posts(store: Store) -> int:
    async with store.sessions() as session:
        return await session.scalar(select(func.count()).select_from(PostRow)) or 0


async def test_serve_answers_while_it_reads_a_large_posts_directory(
    store: Store, database_url: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    await subscribe(store, CHANNEL, "Science")  # before the posts arrive, so they are news to it
    write_posts(tmp_path / "posts")
    port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "NEWSBOT_POSTS_DIR": str(tmp_path / "posts"),
        "PORT": str(port),
    }
    base = f"http://127.0.0.1:{port}"
    async with (
        listening_newsbot(tmp_path, **settings),
        aiohttp.ClientSession() as session,
    ):
        sender = SlackSender(session, base + "/slack/events", SIGNING_SECRET)
        reply = await sender.command("latest", slack.response_url())
        meanwhile = await health(base + "/healthz")
        await until(lambda: _caught_up(base))
        await until(lambda: _delivered(store, POSTS // SCIENCE_EVERY))
        finally_ = await health(base + "/healthz")
    # The answer came from what was stored, while most of the directory was still unread.
    assert reply.status == 200
    assert messages.ERROR_REPLY not in reply.json()["text"]
    assert meanwhile["status"] == "catching_up"
    assert meanwhile["posts"] < POSTS
    assert meanwhile["catch_up"]["read"] < POSTS
    assert finally_ == {"status": "ok", "database": "reachable", "posts": POSTS}
    # Each subscribed post read during the catch-up reached the channel exactly once.
    delivered = posted_ids(slack)  # type: ignore[arg-type]
    assert sorted(count for (channel, _), count in delivered.items() if channel == CHANNEL) == [
        1
    ] * (POSTS // SCIENCE_EVERY)
    assert await stored_posts(store) == POSTS


async def until(condition: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(GUARD_SECONDS):
        while not await condition():  # noqa: ASYNC110 - the condition asks the server or database
            await asyncio.sleep(0.1)


async def _caught_up(base: str) -> bool:
    status: str = (await health(base + "/healthz"))["status"]
    return status == "ok"


async def _delivered(store: Store, expected: int) -> bool:
    states = [row.state for row in await rows(store)]
    return len(states) == expected and set(states) == {SENT}

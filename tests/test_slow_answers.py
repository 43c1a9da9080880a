"""A slash command whose answer is not ready within the ack budget: the command is acknowledged
empty, in time for Slack, and the answer follows through the response URL (facts.md §2).

The answer is made slow for real: another PostgreSQL connection holds an exclusive lock on the
posts table, so newsbot's query waits on the database itself until the test lets go, which it
does only after the acknowledgement has come back. Nothing is timed; the order of events proves
the path. (SQLite in WAL mode never makes a reader wait for a writer, so there is no SQLite twin.)
"""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.factory import STANDARD_POSTS, write_post
from tests.support.ingesting import ingest
from tests.support.slack_emulator import SlackEmulator


@pytest.fixture
async def postgres_bot(
    postgres_url: str, slack: SlackEmulator, posts_dir: Path
) -> AsyncIterator[RunningBot]:
    engine = create_engine(postgres_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    store: Store = await open_store(postgres_url)
    try:
        for name, fields in STANDARD_POSTS.items():
            write_post(posts_dir, name, **fields)
        await ingest(store, [posts_dir])
        settings = bot_settings(slack, postgres_url, posts_dir)
        # Without the watcher and delivery tasks: only the command under test reads posts.
        async with running_bot(make_runtime(settings, store), slack, plugins=()) as bot:
            yield bot
    finally:
        await store.close()


async def _lock_posts(postgres_url: str) -> asyncpg.Connection:
    """A connection holding an exclusive lock on ``posts`` until it commits."""
    plain = make_url(postgres_url).set(drivername="postgresql")
    connection = await asyncpg.connect(plain.render_as_string(hide_password=False))
    await connection.execute("BEGIN; LOCK TABLE posts IN ACCESS EXCLUSIVE MODE")
    return connection


async def test_a_slow_answer_arrives_through_the_response_url(
    postgres_bot: RunningBot, postgres_url: str
) -> None:
    locker = await _lock_posts(postgres_url)
    try:
        url = postgres_bot.slack.response_url("slow")
        reply = await postgres_bot.sender.ack_of_command("latest", url)
        # Acknowledged while the answer still waits on the lock: no answer in the ack body.
        assert reply.status == 200
        assert reply.body == ""
        assert postgres_bot.slack.responses["slow"].items == []
    finally:
        await locker.execute("COMMIT")
        await locker.close()
    [answer] = await postgres_bot.slack.wait_for_response("slow")
    assert answer["response_type"] == "ephemeral"
    shown = json.dumps(answer["blocks"])
    assert "River flood" in shown and "Council passes budget" in shown
    assert postgres_bot.slack.calls_to("chat.postMessage") == []

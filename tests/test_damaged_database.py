"""A damaged SQLite database, as a failing disk leaves it: said in one line by the commands,
noticed by ``serve`` on the first query that reads the damaged part (an apology in Slack, and
``/healthz`` says 503), and explained by ``newsbot db check``, with what to do."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import messages
from bot.store import Store, open_store
from tests.conftest import SAMPLE_POSTS
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.damage import damage_middle, damage_table
from tests.support.ingesting import ingest
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import event_payload, message_event
from tests.test_cli import newsbot

SAMPLE_COUNT = len(list(SAMPLE_POSTS.glob("*.md")))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The sample posts, read into ``newsbot.db``."""
    shutil.copytree(SAMPLE_POSTS, tmp_path / "posts")
    assert newsbot(tmp_path, "ingest").returncode == 0
    return tmp_path


def test_ask_on_a_damaged_database_says_so_in_one_line(checkout: Path) -> None:
    damage_table(checkout / "newsbot.db", "posts")
    result = newsbot(checkout, "ask", "/news search budget")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Database sqlite+aiosqlite:///newsbot.db is damaged (")
    assert result.stderr.endswith("run 'newsbot db check' to see what to do.\n")


def test_db_check_says_what_is_wrong_and_how_to_rebuild(checkout: Path) -> None:
    in_news = ("--channel", "C0NEWS", "--team", "T0NEWS")
    assert newsbot(checkout, "ask", "/news subscribe Politics", *in_news).returncode == 0
    intact = newsbot(checkout, "db", "check")
    assert intact.returncode == 0
    assert "is intact: SQLite's integrity check found no problems" in intact.stdout
    database = checkout / "newsbot.db"
    damage_middle(database)
    damaged = newsbot(checkout, "db", "check")
    assert damaged.returncode == 1
    assert "newsbot.db is damaged. SQLite's integrity check says:" in damaged.stdout
    assert "Restore the newest backup" in damaged.stdout
    steps = [
        "newsbot subscriptions export > subscriptions.json",
        "mv newsbot.db newsbot.db.damaged",
        "newsbot ingest",
        "newsbot subscriptions import subscriptions.json",
    ]
    assert all(step in damaged.stdout for step in steps)
    # The advice works: subscriptions saved, the file moved aside, the store rebuilt.
    exported = newsbot(checkout, "subscriptions", "export")
    assert exported.returncode == 0
    (checkout / "subscriptions.json").write_text(exported.stdout)
    database.rename(checkout / "newsbot.db.damaged")
    for leftover in ("newsbot.db-wal", "newsbot.db-shm"):
        (checkout / leftover).unlink(missing_ok=True)
    rebuilt = newsbot(checkout, "ingest")
    assert rebuilt.stdout.splitlines()[-1].startswith(f"{SAMPLE_COUNT} new, ")
    assert newsbot(checkout, "subscriptions", "import", "subscriptions.json").returncode == 0
    assert newsbot(checkout, "db", "check").returncode == 0
    listed = newsbot(checkout, "ask", "/news subscriptions", *in_news)
    assert "Politics" in listed.stdout


@pytest.mark.parametrize("action", ["current", "check"])
def test_db_current_and_check_create_no_database(tmp_path: Path, action: str) -> None:
    result = newsbot(tmp_path, "db", action)
    assert result.returncode == 0
    assert result.stdout == messages.DB_MISSING.format(url="sqlite+aiosqlite:///newsbot.db") + "\n"
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
async def bot_on_damaged_index(slack: SlackEmulator, tmp_path: Path) -> AsyncIterator[RunningBot]:
    """newsbot serving a store whose search index is damaged; the rest reads fine."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"
    store = await open_store(url)
    await ingest(store, [SAMPLE_POSTS])
    await store.close()
    damage_table(tmp_path / "newsbot.db", "post_search_fts_data")
    damaged: Store = await open_store(url)
    try:
        runtime = make_runtime(bot_settings(slack, url, tmp_path / "posts"), damaged)
        async with running_bot(runtime, slack) as bot:
            yield bot
    finally:
        await damaged.close()


async def test_a_damaged_index_gets_an_apology_and_fails_the_health_check(
    bot_on_damaged_index: RunningBot,
) -> None:
    bot = bot_on_damaged_index
    healthy = await bot.get("/healthz")
    assert healthy.status == 200  # counting the posts does not read the damaged index
    reply = await bot.sender.command("search budget", bot.slack.response_url())
    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": messages.ERROR_REPLY}
    await bot.sender.event(event_payload(message_event("search budget")))
    [apology] = await bot.slack.wait_for("chat.postMessage")
    assert apology.params["text"] == messages.ERROR_REPLY
    health = await bot.get("/healthz")
    assert health.status == 503
    assert health.json() == {"status": "unavailable", "database": "damaged"}
    latest = await bot.sender.command("latest", bot.slack.response_url())
    assert latest.status == 200 and latest.json()["blocks"]  # the rest still answers

"""``newsbot subscriptions export`` and ``import`` as an operator runs them (real processes, real
databases): moving from SQLite to PostgreSQL keeps every channel's subscriptions, filters, digests
and pauses, importing twice changes nothing, and a bad file is refused in one sentence with
nothing saved."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.news.delivery.plan import plan_deliveries
from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from bot.store.subscriptions import every_subscription
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.factory import STANDARD_POSTS, write_post
from tests.support.ingesting import ingest
from tests.support.newsbot_process import run_newsbot
from tests.support.slack_emulator import SlackEmulator
from tests.support.subscribing import command, said

CHANNELS = ("C0NEWS", "C0OTHER", "C0QUIET")


@asynccontextmanager
async def newsbot_on(url: str, slack: SlackEmulator, posts_dir: Path) -> AsyncIterator[RunningBot]:
    """newsbot's web app on the database at ``url``, brought up to date first."""
    engine = create_engine(url)
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(url)
    try:
        await ingest(store, [posts_dir])
        async with running_bot(
            make_runtime(bot_settings(slack, url, posts_dir), store), slack
        ) as bot:
            yield bot
    finally:
        await store.close()


@pytest.fixture
def newsroom(posts_dir: Path) -> Path:
    for name, fields in STANDARD_POSTS.items():
        write_post(posts_dir, name, **fields)
    return posts_dir


async def _answers(bot: RunningBot) -> list[str]:
    return [await said(bot, "subscriptions", channel_id=channel) for channel in CHANNELS]


async def _subscribe_everything(bot: RunningBot) -> None:
    await command(bot, 'subscribe Politics, Technology sentiment:>=5 budget -"rate cut" thread:on')
    await command(bot, "subscribe Climate digest:weekly@fri17:00", channel_id="C0OTHER")
    await command(bot, "pause", channel_id="C0OTHER")
    await command(bot, "subscribe all -storm", channel_id="C0QUIET")


@pytest.mark.slow
async def test_export_from_sqlite_and_import_into_postgresql_keeps_every_answer(
    sqlite_url: str, postgres_url: str, slack: SlackEmulator, newsroom: Path, tmp_path: Path
) -> None:
    async with newsbot_on(sqlite_url, slack, newsroom) as bot:
        await _subscribe_everything(bot)
        before = await _answers(bot)
    exported = await run_newsbot(tmp_path, "subscriptions", "export", DATABASE_URL=sqlite_url)
    assert exported.status == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert (document["format"], document["version"]) == ("newsbot-subscriptions", 1)
    saved = tmp_path / "subs.json"
    saved.write_text(exported.stdout, encoding="utf-8")

    upgraded = await run_newsbot(tmp_path, "db", "upgrade", DATABASE_URL=postgres_url)
    assert upgraded.status == 0, upgraded.stderr
    ingested = await run_newsbot(
        tmp_path, "ingest", DATABASE_URL=postgres_url, NEWSBOT_POSTS_DIR=str(newsroom)
    )
    assert ingested.status == 0, ingested.stderr
    first = await run_newsbot(
        tmp_path, "subscriptions", "import", str(saved), DATABASE_URL=postgres_url
    )
    assert first.status == 0, first.stderr
    assert first.stdout.strip() == f"Imported {saved}: 5 added, 0 changed, 0 unchanged."
    again = await run_newsbot(
        tmp_path, "subscriptions", "import", str(saved), DATABASE_URL=postgres_url
    )
    assert again.stdout.strip() == f"Imported {saved}: 0 added, 0 changed, 5 unchanged."
    async with newsbot_on(postgres_url, slack, newsroom) as bot:
        after = await _answers(bot)
        # The archive is not news to the imported channels.
        assert (await plan_deliveries(bot.runtime.store)).queued == 0
    assert after == before
    assert "not mentioning “rate cut”" in after[0] and "each in its own thread" in after[0]
    assert "Paused by" in after[1] and "weekly digest on Friday at 17:00" in after[1]


async def test_export_of_one_team_and_a_changed_import(
    store: Store, slack: SlackEmulator, newsroom: Path, tmp_path: Path
) -> None:
    url = store.engine.url.render_as_string(False)
    async with newsbot_on(url, slack, newsroom) as bot:
        await command(bot, "subscribe Politics")
        other_team = await run_newsbot(
            tmp_path, "subscriptions", "export", "--team", "T0ELSE", DATABASE_URL=url
        )
        assert json.loads(other_team.stdout)["channels"] == []
        exported = await run_newsbot(tmp_path, "subscriptions", "export", DATABASE_URL=url)
        document = json.loads(exported.stdout)
        document["channels"][0]["subscriptions"][0]["excluded"] = ["budget"]
        saved = tmp_path / "subs.json"
        saved.write_text(json.dumps(document), encoding="utf-8")
        imported = await run_newsbot(
            tmp_path, "subscriptions", "import", str(saved), DATABASE_URL=url
        )
        assert imported.stdout.strip() == f"Imported {saved}: 0 added, 1 changed, 0 unchanged."
        assert "not mentioning “budget”" in await said(bot, "subscriptions")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("subscriptions, but not JSON", "is not JSON ("),
        (
            '{"format": "newsbot-subscriptions", "version": 2, "channels": []}',
            "was written by a newer newsbot (format version 2; this one reads up to 1): "
            "upgrade newsbot, then import it.",
        ),
        ('{"channels": []}', 'is not a newsbot subscriptions export: it has no "format"'),
        (
            '{"format": "newsbot-subscriptions", "version": 1, '
            '"exported_at": "2026-12-01T00:00:00Z", '
            '"channels": [{"team_id": "T1", "channel_id": "C1", "subscriptions": [{}]}]}',
            "is not a newsbot subscriptions export: "
            "channels.0.subscriptions.0.category_key: Field required.",
        ),
    ],
)
async def test_a_bad_file_is_refused_in_one_sentence_and_nothing_is_saved(
    store: Store, tmp_path: Path, content: str, says: str
) -> None:
    url = store.engine.url.render_as_string(False)
    saved = tmp_path / "subs.json"
    saved.write_text(content, encoding="utf-8")
    refused = await run_newsbot(tmp_path, "subscriptions", "import", str(saved), DATABASE_URL=url)
    assert refused.status == 1
    assert says in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    async with store.sessions() as session:
        assert await every_subscription(session, None) == []


async def test_a_missing_file_is_named(store: Store, tmp_path: Path) -> None:
    url = store.engine.url.render_as_string(False)
    refused = await run_newsbot(
        tmp_path, "subscriptions", "import", "nowhere.json", DATABASE_URL=url
    )
    assert refused.status == 1
    assert refused.stderr.strip() == "Cannot read nowhere.json: No such file or directory."

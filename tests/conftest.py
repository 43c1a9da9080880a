"""Shared fixtures: real SQLite files and a real, throwaway PostgreSQL database."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
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

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "2026-01-26-minneapolis-hits-back-at-ice.md"
SAMPLE_POSTS = REPO / "posts"
# The newsbot processes tests start (`python -m bot`) import this checkout, whatever copy of
# newsbot is installed: a second work tree of the repository tests its own code.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
)
# Where the PostgreSQL tests connect; they make and drop their own database there.
POSTGRES_URL = os.environ.get(
    "NEWSBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://127.0.0.1:5432/test"
)
# CI sets this: there, a missing PostgreSQL is a failure, not a skip.
REQUIRE_POSTGRES = os.environ.get("NEWSBOT_REQUIRE_POSTGRES") == "1"


async def _admin_connection() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database, timeout=5
    )


@pytest.fixture(scope="session")
async def postgres_server() -> AsyncIterator[str]:
    """A fresh database on the PostgreSQL server for this test run, dropped afterwards."""
    try:
        admin = await _admin_connection()
    except (OSError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL not reachable at {POSTGRES_URL} ({error}); PostgreSQL tests skipped"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def postgres_url(postgres_server: str) -> AsyncIterator[str]:
    """The run's PostgreSQL database, emptied of newsbot's tables before and after each test."""
    await _drop_everything(postgres_server)
    yield postgres_server
    await _drop_everything(postgres_server)


async def _drop_everything(url: str) -> None:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    opened = await open_store(database_url)
    yield opened
    await opened.close()


@pytest.fixture
def posts_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "posts"
    directory.mkdir()
    yield directory


@pytest.fixture
async def sample_store(store: Store) -> Store:
    """The store with every sample post from ``posts/`` read in, on each engine."""
    report = await ingest(store, [SAMPLE_POSTS])
    assert not report.rejected
    return store


@pytest.fixture
async def slack() -> AsyncIterator[SlackEmulator]:
    """The Slack Web API emulator on a free loopback port."""
    emulator = SlackEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


@pytest.fixture
async def bot(store: Store, slack: SlackEmulator, posts_dir: Path) -> AsyncIterator[RunningBot]:
    """newsbot's real web application on a free port, its Web API client pointed at ``slack``,
    its store holding the posts of ``tests.support.factory.STANDARD_POSTS``."""
    for name, fields in STANDARD_POSTS.items():
        write_post(posts_dir, name, **fields)
    await ingest(store, [posts_dir])
    settings = bot_settings(slack, str(store.engine.url.render_as_string(False)), posts_dir)
    async with running_bot(make_runtime(settings, store), slack) as running:
        yield running

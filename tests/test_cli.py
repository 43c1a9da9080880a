"""The ``newsbot`` command as an operator runs it: a real process, a real database file."""

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.cli import build_parser
from bot.runtime.commands import run_ingest
from bot.runtime.settings import Settings, env_name
from bot.store import Store, migrations
from tests.conftest import SEED
from tests.support.factory import write_post


def newsbot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(SEED, posts)
    write_post(
        posts, "2026-11-20-budget-vote.md", title="Council passes budget", category="Politics"
    )
    write_post(
        posts,
        "2026-11-21-chip-plant.md",
        title="Chip plant opens",
        category="Technology",
        date="2026-11-21 10:00:00 +0900",
        sentiment_score=9,
        sentiment_label="Very Positive",
    )
    return tmp_path


def test_ingest_then_latest_on_a_fresh_directory(workdir: Path) -> None:
    ingested = newsbot(workdir, "ingest")
    assert ingested.returncode == 0, ingested.stderr
    assert (
        ingested.stdout.strip().splitlines()[-1]
        == "3 new, 0 updated, 0 unchanged, 0 removed, 0 rejected"
    )
    assert (workdir / "newsbot.db").exists()
    latest = newsbot(workdir, "latest")
    lines = latest.stdout.strip().splitlines()
    assert latest.returncode == 0
    assert lines[0] == (
        "2026-11-21 01:00  Chip plant opens  [Technology]  (sentiment 9/10, Very Positive)"
    )
    assert "Council passes budget  [Politics]" in lines[1]
    assert "Minneapolis hits back at ICE" in lines[2]
    again = newsbot(workdir, "ingest")
    assert again.stdout.strip() == "0 new, 0 updated, 3 unchanged, 0 removed, 0 rejected"


def test_latest_filters_by_category_and_names_the_known_ones(workdir: Path) -> None:
    newsbot(workdir, "ingest")
    politics = newsbot(workdir, "latest", "--category", "politics", "-n", "5")
    assert politics.stdout.count("\n") == 1 and "Council passes budget" in politics.stdout
    unknown = newsbot(workdir, "latest", "-c", "sport")
    assert unknown.stdout.strip() == "No category 'sport'. Categories: News, Politics, Technology."
    mistyped = newsbot(workdir, "latest", "-c", "politcs")
    assert mistyped.stdout.strip() == "No category 'politcs'. Did you mean Politics?"


def test_latest_on_an_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "latest")
    assert result.returncode == 0
    assert "No posts yet. Run 'newsbot ingest'" in result.stdout


def test_rejected_files_are_listed_and_the_exit_status_says_so(workdir: Path) -> None:
    bad = workdir / "posts" / "2026-11-22-broken.md"
    bad.write_text("---\ntitle: [oops\n---\n")
    result = newsbot(workdir, "ingest")
    assert result.returncode == 1
    assert f"rejected {bad}: invalid YAML in the front matter, line 3" in result.stdout
    assert result.stdout.strip().endswith("3 new, 0 updated, 0 unchanged, 0 removed, 1 rejected")


def test_settings_come_from_a_dotenv_file(workdir: Path) -> None:
    (workdir / "elsewhere").mkdir()
    shutil.move(workdir / "posts", workdir / "elsewhere" / "news")
    (workdir / ".env").write_text(
        "NEWSBOT_POSTS_DIR=elsewhere/news\nDATABASE_URL=sqlite:///custom.db\n"
    )
    result = newsbot(workdir, "ingest")
    assert result.returncode == 0, result.stderr
    assert (workdir / "custom.db").exists() and not (workdir / "newsbot.db").exists()


def test_a_directory_without_posts_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = newsbot(tmp_path, "ingest", "empty")
    assert result.returncode == 0
    assert result.stdout.strip() == (
        "no posts found in empty (looked for *.md and *.markdown files)"
    )


def test_mistyped_arguments_get_a_usage_message(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "latest", "-n", "zero")
    assert result.returncode == 2
    assert "'zero' is not a positive whole number" in result.stderr
    assert "invalid choice: 'ingets'" in newsbot(tmp_path, "ingets").stderr


@pytest.mark.slow
def test_db_commands_on_postgresql(workdir: Path, postgres_url: str) -> None:
    behind = newsbot(workdir, "latest", DATABASE_URL=postgres_url)
    assert behind.returncode == 2
    assert "Run 'newsbot db upgrade'" in behind.stderr
    upgraded = newsbot(workdir, "db", "upgrade", DATABASE_URL=postgres_url)
    newest = f"revision {migrations.head_revision()}, the newest"
    assert upgraded.returncode == 0 and newest in upgraded.stdout
    assert newsbot(workdir, "ingest", DATABASE_URL=postgres_url).returncode == 0
    assert "Chip plant opens" in newsbot(workdir, "latest", DATABASE_URL=postgres_url).stdout
    down = newsbot(workdir, "db", "downgrade", "base", DATABASE_URL=postgres_url)
    assert down.returncode == 0 and "revision empty" in down.stdout


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "db", "upgrade", DATABASE_URL="postgresql://127.0.0.1:1/x")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Cannot open database postgresql+asyncpg://")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("garbage", "DATABASE_URL is not a database URL"),
        ("mysql://x", "DATABASE_URL mysql://x names a database or driver newsbot does not use"),
        ("postgresql+psycopg2://ann:pw@db/news", "postgresql+psycopg2://ann:***@db/news names"),
        ("sqlite+pysqlite:///news.db", "sqlite+pysqlite:///news.db names"),
    ],
)
def test_a_database_url_newsbot_cannot_use_is_one_sentence(
    tmp_path: Path, url: str, shown: str
) -> None:
    result = newsbot(tmp_path, "latest", DATABASE_URL=url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and shown in result.stderr
    assert "sqlite:///PATH" in result.stderr and "postgresql://USER@HOST" in result.stderr
    assert "Traceback" not in result.stderr and "pw@" not in result.stderr


@pytest.mark.parametrize("args", [("latest", "-n", "50"), ("ask", "--json", "/news latest")])
def test_a_reader_that_stops_early_is_no_error(workdir: Path, args: tuple[str, ...]) -> None:
    """`newsbot latest -n 50 | head -2`: the reader has gone by the time newsbot writes (here
    it is gone from the start, so that the write always fails)."""
    newsbot(workdir, "ingest")
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=workdir,
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 141  # as a command killed by SIGPIPE, like `yes | head`


async def test_two_ingests_at_once_count_each_new_post_once(
    store: Store, posts_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two `newsbot ingest` runs at the same moment. They run here in one process, each with a
    store of its own as two processes would have, so that they surely overlap."""
    for number in range(300):
        write_post(posts_dir, f"2026-01-{number % 28 + 1:02d}-post-{number}.md", title=f"N{number}")
    settings = Settings.model_validate({"database_url": store.url, "posts_dir": posts_dir})
    args = argparse.Namespace(paths=[posts_dir])
    statuses = await asyncio.gather(run_ingest(args, settings), run_ingest(args, settings))
    assert list(statuses) == [0, 0]
    summaries = sorted(capsys.readouterr().out.splitlines())
    assert summaries == [
        "0 new, 0 updated, 300 unchanged, 0 removed, 0 rejected",
        "300 new, 0 updated, 0 unchanged, 0 removed, 0 rejected",
    ]


def test_newsbot_alone_shows_the_help(tmp_path: Path) -> None:
    alone = newsbot(tmp_path)
    assert (alone.returncode, alone.stderr) == (0, "")
    assert alone.stdout.startswith("usage: newsbot") and "ingest" in alone.stdout
    db = newsbot(tmp_path, "db")
    assert (db.returncode, db.stderr) == (0, "")
    assert db.stdout.startswith("usage: newsbot db") and "check" in db.stdout


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                yield from _parsers(command)


def test_every_argument_says_what_it_means() -> None:
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                assert action.help, f"{parser.prog} {action.dest} has no help"


def test_serve_help_names_every_setting(tmp_path: Path) -> None:
    shown = newsbot(tmp_path, "serve", "--help").stdout
    for field in Settings.model_fields:
        assert env_name(field) in shown

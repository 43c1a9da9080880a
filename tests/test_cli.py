"""The ``newsbot`` command as an operator runs it: a real process, a real database file."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import migrations
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
    assert unknown.stdout.strip() == (
        "No posts in category 'sport'. Categories: News, Politics, Technology."
    )


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

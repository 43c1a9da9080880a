"""``newsbot ask`` and ``newsbot preview``: Slack's reply without Slack, in a real process."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_POSTS, SEED
from tests.test_cli import newsbot

NEWEST = sorted(SAMPLE_POSTS.glob("*.md"))[-1]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A fresh checkout: the sample posts and no database yet."""
    shutil.copytree(SAMPLE_POSTS, tmp_path / "posts")
    return tmp_path


def title_of(path: Path) -> str:
    line = next(line for line in path.read_text().splitlines() if line.startswith("title:"))
    return line.split(":", 1)[1].strip().strip('"')


def test_ask_latest_on_a_fresh_checkout_shows_the_sample_posts(checkout: Path) -> None:
    result = newsbot(checkout, "ask", "/news latest")
    assert result.returncode == 0, result.stderr
    assert title_of(NEWEST) in result.stdout.splitlines()[1]
    assert "[Next 5]" in result.stdout and "[Share in channel]" in result.stdout


def test_ask_json_prints_the_payload_slack_would_get(checkout: Path) -> None:
    result = newsbot(checkout, "ask", "latest politics 2", "--json")
    payload = json.loads(result.stdout)
    assert set(payload) == {"text", "blocks"}
    rows = [block for block in payload["blocks"] if block["type"] == "section"]
    assert len(rows) == 2 and all("Politics" in row["text"]["text"] for row in rows)
    assert "Share in channel" not in result.stdout  # a DM answer is the bot's own message


def test_ask_answers_a_typo_helpfully(checkout: Path) -> None:
    result = newsbot(checkout, "ask", "/news latest politcs")
    assert result.returncode == 0
    assert "No category 'politcs'. Did you mean Politics?" in result.stdout


def test_ask_reports_a_bad_post_and_answers_from_the_rest(checkout: Path) -> None:
    (checkout / "posts" / "broken.md").write_text("no front matter here")
    result = newsbot(checkout, "ask", "latest")
    assert result.returncode == 0
    assert "broken.md" in result.stderr and "no front matter" in result.stderr
    assert title_of(NEWEST) in result.stdout


def _subscriptions(checkout: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(checkout / "newsbot.db") as db:
        return db.execute("SELECT team_id, channel_id, category_key FROM subscriptions").fetchall()


def test_ask_changes_no_real_channel_unless_one_is_named(checkout: Path) -> None:
    for text in ("/news subscribe Politics", "subscribe politics", "/news pause"):
        result = newsbot(checkout, "ask", text)
        assert result.returncode == 0
        assert "newsbot ask is in no channel, so nothing was changed" in result.stdout
        assert "--channel C0123ABCD --team T0123ABCD" in result.stdout
    assert _subscriptions(checkout) == []
    named = newsbot(
        checkout, "ask", "/news subscribe Politics", "--channel", "C0NEWS", "--team", "T0NEWS"
    )
    assert named.returncode == 0
    assert "Subscribed this channel to Politics." in named.stdout
    assert "Answering in channel C0NEWS of workspace T0NEWS" in named.stderr
    assert _subscriptions(checkout) == [("T0NEWS", "C0NEWS", "politics")]
    alone = newsbot(checkout, "ask", "/news subscriptions", "--channel", "C0NEWS")
    assert alone.returncode == 2 and "--channel needs --team" in alone.stderr


def test_preview_shows_one_card(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "preview", str(SEED), "--json")
    payload = json.loads(result.stdout)
    assert payload["blocks"][0]["text"]["text"] == title_of(SEED)
    full = newsbot(tmp_path, "preview", str(SEED), "--full")
    assert "Full summary" not in full.stdout and len(full.stdout) > len(result.stdout) / 2


def test_preview_of_a_bad_file_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nbody")
    result = newsbot(tmp_path, "preview", str(bad))
    assert result.returncode == 1
    assert "bad.md" in result.stderr and "invalid YAML" in result.stderr


def test_preview_of_several_files_prints_json_lines(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED, batch / SEED.name)
    (batch / "2026-02-01-z-bad.md").write_text("no front matter")
    other = tmp_path / "2026-02-02-headline.md"
    other.write_text('---\nheadline: "Rates held"\nsummary: "No change."\n---\nBody.\n')
    result = newsbot(
        tmp_path,
        "preview",
        str(batch),
        str(other),
        "--json",
        NEWSBOT_FIELD_ALIASES="headline=title",
    )
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    titles = [payload["blocks"][0]["text"]["text"] for payload in payloads]
    assert titles == [title_of(SEED), "Rates held"]
    assert result.returncode == 1 and "z-bad.md" in result.stderr


def test_an_unusable_field_alias_stops_the_command(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "preview", str(SEED), NEWSBOT_FIELD_ALIASES="headline=titel")
    assert result.returncode == 2
    assert "'headline=titel' is not NAME=FIELD" in result.stderr

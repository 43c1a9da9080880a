"""What ``newsbot serve`` logs: with ``LOG_FORMAT=json`` one JSON object a line, carrying the
request id, team, channel and post id where they apply; one start-up line naming the mode, the
database (never its password) and the posts directory; a refused signature at WARNING without
the request's body; and nothing from Alembic unless ``LOG_LEVEL=DEBUG``."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot import messages
from bot.runtime.logs import log_handler
from bot.runtime.settings import SettingsError, load_settings
from bot.slack.observe import new_request_id
from bot.store import migrations
from bot.store.database import create_engine
from tests.support.bot_server import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, RunningBot
from tests.support.factory import STANDARD_POSTS, post_text, write_post
from tests.support.newsbot_process import free_port, serving_newsbot
from tests.support.slack_emulator import TEAM_ID, SlackEmulator
from tests.support.slack_requests import CHANNEL_ID, SlackSender

PASSWORD = "pg-s3cret-word"
BODY_MARKER = "text=a-body-nobody-may-log"
INGEST_TOKEN = "ingest-token-for-logs"


def lines_of(stderr: str) -> list[dict[str, Any]]:
    """Every line as JSON: a line that is not an object fails the test."""
    records = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert all(isinstance(record, dict) for record in records)
    return records


async def test_serve_logs_json_lines_with_ids_and_never_a_password_or_a_body(
    slack: SlackEmulator, postgres_url: str, tmp_path: Path
) -> None:
    for name, fields in STANDARD_POSTS.items():
        write_post(tmp_path / "posts", name, **fields)
    port = free_port()
    # The test server trusts anyone, whatever the password.
    database = make_url(postgres_url).set(username="postgres", password=PASSWORD)
    engine = create_engine(postgres_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "NEWSBOT_POSTS_DIR": str(tmp_path / "posts"),
        "NEWSBOT_INGEST_TOKEN": INGEST_TOKEN,
        "PORT": str(port),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    async with serving_newsbot(tmp_path, **settings) as child, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}"
        sender = SlackSender(http, url + "/slack/events", SIGNING_SECRET)
        forged = await sender.post(
            BODY_MARKER, "application/x-www-form-urlencoded", signature="v0=0"
        )
        assert forged.status == 401
        headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
        upload = post_text(title="Logged vote", date="2026-12-01 08:00:00")
        async with http.post(url + "/ingest", data=upload.encode(), headers=headers) as reply:
            assert reply.status == 201
            post_id = (await reply.json())["post_id"]
    assert child.stderr is not None
    stderr = (await child.stderr.read()).decode()
    records = lines_of(stderr)

    starting = [r for r in records if r["message"].startswith("newsbot serve: HTTP mode")]
    assert len(starting) == 1
    assert "***" in starting[0]["message"] and str(tmp_path / "posts") in starting[0]["message"]
    assert PASSWORD not in stderr
    [refused] = [r for r in records if r["message"].startswith("refused a request")]
    assert refused["level"] == "WARNING" and refused["request_id"]
    assert "a-body-nobody-may-log" not in stderr
    [ingested] = [r for r in records if r["message"].startswith("POST /ingest")]
    assert ingested["post_id"] == post_id and ingested["request_id"] != refused["request_id"]
    assert not [r for r in records if r["name"].startswith("alembic")]


@contextmanager
def captured(fmt: str, level: int) -> Iterator[io.StringIO]:
    """newsbot's log lines as ``fmt``, at ``level``, while the block runs."""
    stream = io.StringIO()
    handler = log_handler(logging.StreamHandler(stream), fmt)
    own = logging.getLogger("bot")
    before = own.level
    own.addHandler(handler)
    own.setLevel(level)
    try:
        yield stream
    finally:
        own.removeHandler(handler)
        own.setLevel(before)


async def test_a_slack_request_logs_its_team_and_channel(bot: RunningBot) -> None:
    with captured("json", logging.DEBUG) as stream:
        reply = await bot.sender.command("latest", bot.slack.response_url())
    assert reply.status == 200
    [acknowledged] = [r for r in lines_of(stream.getvalue()) if "acknowledged" in r["message"]]
    assert acknowledged["team"] == TEAM_ID and acknowledged["channel"] == CHANNEL_ID
    assert acknowledged["request_id"]


@pytest.mark.parametrize(
    ("name", "value", "sentence"),
    [
        ("LOG_LEVEL", "loud", messages.BAD_LOG_LEVEL.format(value="loud")),
        ("LOG_FORMAT", "xml", messages.BAD_LOG_FORMAT.format(value="xml")),
    ],
)
def test_log_settings_that_are_not_levels_or_formats_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, sentence: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value) == sentence


def test_request_ids_are_sixteen_hex_digits_and_differ() -> None:
    ids = [new_request_id() for _ in range(1000)]
    assert all(len(each) == 16 and set(each) <= set("0123456789abcdef") for each in ids)
    assert len(set(ids)) == len(ids)

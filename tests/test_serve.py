"""``newsbot serve`` as a real process: settings checked before start-up with one clear sentence,
then HTTP mode and Socket Mode answering a signed ``/news`` end to end through the emulator."""

import signal
from pathlib import Path

import aiohttp
import pytest

from bot import messages
from tests.support.bot_server import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.support.damage import damage_middle
from tests.support.factory import STANDARD_POSTS, write_post
from tests.support.newsbot_process import free_port, run_newsbot, serving_newsbot
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_oauth import CLIENT_ID, CLIENT_SECRET
from tests.support.slack_requests import SlackSender, command_payload


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for name, fields in STANDARD_POSTS.items():
        write_post(tmp_path / "posts", name, **fields)
    return tmp_path


def _settings(slack: SlackEmulator, workdir: Path, **changes: str) -> dict[str, str]:
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'newsbot.db'}",
        "PORT": str(free_port()),
    }
    return {k: v for k, v in (settings | changes).items() if v != "<unset>"}


SOCKET = ["--socket"]
MULTI = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
# id: (arguments, settings changed, how stderr must start)
BAD_SETTINGS = {
    "no-bot-token": ([], {"SLACK_BOT_TOKEN": "<unset>"}, "SLACK_BOT_TOKEN is not set"),
    "app-as-bot": ([], {"SLACK_BOT_TOKEN": APP_TOKEN}, "SLACK_BOT_TOKEN does not start"),
    "no-secret": ([], {"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
    "no-app-token": (SOCKET, {"SLACK_APP_TOKEN": "<unset>"}, "SLACK_APP_TOKEN is not set"),
    "bot-as-app": (SOCKET, {"SLACK_APP_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN does not start"),
    "both-modes": ([], {"SLACK_CLIENT_ID": CLIENT_ID}, "SLACK_BOT_TOKEN (one workspace) and"),
    "id-without-secret": (
        [],
        {"SLACK_BOT_TOKEN": "<unset>", "SLACK_CLIENT_ID": CLIENT_ID},
        "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together, and SLACK_CLIENT_SECRET is not set",
    ),
    "secret-without-id": (
        [],
        {"SLACK_BOT_TOKEN": "<unset>", "SLACK_CLIENT_SECRET": CLIENT_SECRET},
        "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together, and SLACK_CLIENT_ID is not set",
    ),
    "multi-without-secret": (
        [],
        {"SLACK_BOT_TOKEN": "<unset>", "SLACK_SIGNING_SECRET": "<unset>", **MULTI},
        "SLACK_SIGNING_SECRET is not set: installing into many workspaces",
    ),
    "no-scopes": ([], {"SLACK_SCOPES": " , "}, "SLACK_SCOPES names no scope"),
    "port-word": ([], {"PORT": "http"}, "PORT 'http' is not a port number"),
    "port-too-big": ([], {"PORT": "70000"}, "PORT '70000' is not a port number"),
    "url": ([], {"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL 'slack.com/api' is not"),
    "unreachable": (
        [],
        {"SLACK_API_URL": "http://127.0.0.1:1/api/"},
        "Cannot reach the Slack Web API at SLACK_API_URL http://127.0.0.1:1/api/",
    ),
}


@pytest.mark.parametrize(
    ("args", "changes", "sentence"), BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys()
)
async def test_bad_settings_stop_start_up_with_one_sentence(
    slack: SlackEmulator, workdir: Path, args: list[str], changes: dict[str, str], sentence: str
) -> None:
    finished = await run_newsbot(workdir, "serve", *args, **_settings(slack, workdir, **changes))
    assert finished.status == 2
    assert finished.stderr.startswith(sentence)
    assert finished.stderr.count("\n") == 1, finished.stderr  # one line, no traceback
    assert slack.calls_to("chat.postMessage") == []


async def test_a_refused_bot_token_stops_start_up(slack: SlackEmulator, workdir: Path) -> None:
    slack.fail("auth.test", "invalid_auth")
    finished = await run_newsbot(workdir, "serve", **_settings(slack, workdir))
    assert finished.status == 2
    assert finished.stderr == messages.BOT_TOKEN_REFUSED.format(error="invalid_auth") + "\n"


async def test_a_refused_app_token_stops_socket_mode(slack: SlackEmulator, workdir: Path) -> None:
    slack.fail("apps.connections.open", "invalid_auth")
    finished = await run_newsbot(workdir, "serve", "--socket", **_settings(slack, workdir))
    assert finished.status == 2
    assert finished.stderr.endswith(messages.APP_TOKEN_REFUSED.format(error="invalid_auth") + "\n")


async def test_socket_mode_without_a_url_stops_start_up_saying_so(
    slack: SlackEmulator, workdir: Path
) -> None:
    slack.socket.withhold_urls = True
    finished = await run_newsbot(workdir, "serve", "--socket", **_settings(slack, workdir))
    assert finished.status == 2
    assert finished.stderr.endswith(messages.NO_SOCKET_URL.format(url=slack.api_url) + "\n")
    assert "Traceback" not in finished.stderr


async def test_a_port_in_use_is_named(slack: SlackEmulator, workdir: Path) -> None:
    settings = _settings(slack, workdir)
    async with serving_newsbot(workdir, **settings):
        finished = await run_newsbot(workdir, "serve", **settings)
    assert finished.status == 2
    assert "set PORT to a free port" in finished.stderr
    assert finished.stderr.count("\n") == 1


async def test_serve_answers_a_signed_command_over_http(
    slack: SlackEmulator, workdir: Path
) -> None:
    settings = _settings(slack, workdir)
    base = f"http://127.0.0.1:{settings['PORT']}"
    async with serving_newsbot(workdir, **settings) as child, aiohttp.ClientSession() as session:
        async with session.get(base + "/healthz") as health:
            assert await health.json() == {"status": "ok", "database": "reachable", "posts": 3}
        sender = SlackSender(session, base + "/slack/events", SIGNING_SECRET)
        reply = await sender.command("latest technology", slack.response_url())
        child.send_signal(signal.SIGTERM)
        assert await child.wait() == 0
    assert reply.status == 200
    assert "Chip plant opens" in reply.json()["text"]


async def test_serve_socket_answers_a_command_through_the_websocket(
    slack: SlackEmulator, workdir: Path
) -> None:
    async with serving_newsbot(workdir, "--socket", **_settings(slack, workdir)):
        envelope = await slack.socket.push(
            "slash_commands", command_payload("latest politics", slack.response_url())
        )
        payload = await slack.socket.ack(envelope)
    assert payload is not None
    assert payload["response_type"] == "ephemeral"
    assert "Council passes budget" in payload["text"]
    [opened] = slack.calls_to("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_serve_with_a_client_id_and_secret_offers_the_install_page(
    slack: SlackEmulator, workdir: Path
) -> None:
    settings = _settings(slack, workdir, SLACK_BOT_TOKEN="<unset>", **MULTI)
    base = f"http://127.0.0.1:{settings['PORT']}"
    async with serving_newsbot(workdir, **settings), aiohttp.ClientSession() as session:
        async with session.get(base + "/slack/install") as page:
            assert page.status == 200
            assert "https://slack.com/oauth/v2/authorize?" in await page.text()
        sender = SlackSender(session, base + "/slack/events", SIGNING_SECRET)
        reply = await sender.command("latest", slack.response_url("nobody"))
        [answer] = await slack.wait_for_response("nobody")
    assert reply.status == 200
    assert answer["text"] == messages.NOT_INSTALLED_REPLY
    assert slack.calls_to("auth.test") == []  # no bot token to check in this mode


@pytest.mark.parametrize("mode", ["single", "multi"])
async def test_without_history_scopes_start_up_says_what_is_promised(
    slack: SlackEmulator, workdir: Path, mode: str
) -> None:
    slack.scopes = "commands,chat:write,chat:write.public"
    changes = {"SLACK_BOT_TOKEN": "<unset>", **MULTI} if mode == "multi" else {}
    changes["SLACK_SCOPES"] = slack.scopes
    settings = _settings(slack, workdir, **changes)
    async with serving_newsbot(workdir, **settings) as child:
        assert child.stderr is not None
        line = (await child.stderr.readline()).decode()
    wanted = messages.NO_HISTORY_SCOPES.format(scopes="channels:history and groups:history")
    assert line.endswith(wanted + "\n")


async def test_a_damaged_database_stops_start_up_saying_what_to_run(
    slack: SlackEmulator, workdir: Path
) -> None:
    settings = _settings(slack, workdir)
    ingested = await run_newsbot(workdir, "ingest", DATABASE_URL=settings["DATABASE_URL"])
    assert ingested.status == 0
    damage_middle(workdir / "newsbot.db")
    finished = await run_newsbot(workdir, "serve", **settings)
    assert finished.status == 2
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert "newsbot.db is damaged (" in finished.stderr
    assert finished.stderr.endswith("run 'newsbot db check' to see what to do.\n")

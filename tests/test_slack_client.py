"""The Web API client newsbot makes, against the emulator: SLACK_API_URL, the bot token, and
retries after 429 ``Retry-After`` and server errors."""

from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime.state import make_client
from bot.slack.client import RATE_LIMIT_RETRIES
from tests.support.bot_server import BOT_TOKEN, bot_settings
from tests.support.slack_emulator import SlackEmulator


def _client(slack: SlackEmulator, tmp_path: Path) -> AsyncWebClient:
    return make_client(bot_settings(slack, "sqlite+aiosqlite:///unused.db", tmp_path))


async def test_calls_go_to_slack_api_url_with_the_bot_token(
    slack: SlackEmulator, tmp_path: Path
) -> None:
    client = _client(slack, tmp_path)
    answer = await client.chat_postMessage(channel="C0NEWS", text="hello")
    assert answer["ok"] and answer["channel"] == "C0NEWS"
    [call] = slack.calls_to("chat.postMessage")
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert call.params["text"] == "hello"
    updated = await client.chat_update(channel="C0NEWS", ts=answer["ts"], text="edited")
    assert updated["ts"] == answer["ts"]


async def test_a_429_is_waited_out_and_sent_again(slack: SlackEmulator, tmp_path: Path) -> None:
    slack.rate_limit("chat.postMessage", every=2, retry_after=1)
    client = _client(slack, tmp_path)
    await client.chat_postMessage(channel="C0NEWS", text="first")
    second = await client.chat_postMessage(channel="C0NEWS", text="second")
    assert second["ok"]
    calls = slack.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [200, 429, 200]
    assert [call.params["text"] for call in calls] == ["first", "second", "second"]


async def test_a_lasting_rate_limit_ends_in_a_clear_error(
    slack: SlackEmulator, tmp_path: Path
) -> None:
    slack.rate_limit("users.info", every=1, retry_after=0)
    with pytest.raises(SlackApiError) as raised:
        await _client(slack, tmp_path).users_info(user="U0ALICE")
    assert raised.value.response["error"] == "ratelimited"
    assert len(slack.calls_to("users.info")) == 1 + RATE_LIMIT_RETRIES


async def test_a_server_error_is_retried(slack: SlackEmulator, tmp_path: Path) -> None:
    slack.fail("views.publish", status=503, times=1)
    view = {"type": "home", "blocks": []}
    answer = await _client(slack, tmp_path).views_publish(user_id="U0ALICE", view=view)
    assert answer["ok"]
    assert [call.status for call in slack.calls_to("views.publish")] == [503, 200]


async def test_slack_errors_reach_the_caller(slack: SlackEmulator, tmp_path: Path) -> None:
    slack.fail("chat.postMessage", "not_in_channel")
    client = _client(slack, tmp_path)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C0ELSE", text="hi")
    assert raised.value.response["error"] == "not_in_channel"
    with pytest.raises(SlackApiError) as unknown:
        await client.chat_update(channel="C0NEWS", ts="1.000001", text="x")
    assert unknown.value.response["error"] == "message_not_found"


async def test_the_emulator_checks_tokens_and_message_limits(
    slack: SlackEmulator, tmp_path: Path
) -> None:
    client = _client(slack, tmp_path)
    client.token = "xoxp-a-user-token"
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await client.auth_test()
    client.token = BOT_TOKEN
    too_many = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await client.chat_postMessage(channel="C0NEWS", text="x", blocks=too_many)
    user = await client.users_info(user="U0ALICE")
    assert user["user"]["is_admin"] is False

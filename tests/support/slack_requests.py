"""Requests as Slack sends them: payload builders, and real signed HTTP posts to the bot.

The same payloads serve HTTP mode (signed form or JSON bodies) and Socket Mode (envelope payloads).
"""

import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.support.recorder import Recorder
from tests.support.slack_emulator import APP_ID, BOT_USER_ID, TEAM_ID

USER_ID = "U0ALICE"
CHANNEL_ID = "C0NEWS"
_serial = itertools.count(1)


def command_payload(text: str, response_url: str, **fields: str) -> dict[str, str]:
    """A ``/news`` slash command as Slack posts it (form fields, all strings)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "newsroom",
        "channel_id": CHANNEL_ID,
        "channel_name": "news",
        "user_id": USER_ID,
        "user_name": "alice",
        "command": "/news",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_serial)}.1.trigger",
    } | fields


def event_payload(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """An Events API ``event_callback`` wrapping ``event``."""
    serial = next(_serial)
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {"event_ts": f"1790000000.{serial:06d}"} | event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{serial:010d}",
        "event_time": 1_790_000_000 + serial,
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_event(text: str, channel: str = "D0ALICE", **fields: Any) -> dict[str, Any]:
    serial = next(_serial)
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": USER_ID,
        "text": text,
        "ts": f"1790000000.{serial:06d}",
    } | fields


def block_action_payload(
    action_id: str, value: str, response_url: str, **fields: Any
) -> dict[str, Any]:
    """A ``block_actions`` interactivity payload: someone clicked a button."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "user": {"id": USER_ID, "username": "alice", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "container": {"type": "message", "channel_id": CHANNEL_ID, "is_ephemeral": True},
        "trigger_id": f"{next(_serial)}.1.trigger",
        "channel": {"id": CHANNEL_ID, "name": "news"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1790000000.000001",
            }
        ],
    } | fields


@dataclass(frozen=True)
class Reply:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Posts signed requests to the bot's ``/slack/events`` over real HTTP, as Slack does."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        signing_secret: str,
        responses: Mapping[str, Recorder] | None = None,
    ) -> None:
        self.session = session
        self.url = url
        self.verifier = SignatureVerifier(signing_secret)
        self.responses = responses  # the emulator's response URLs' payloads, by key

    async def command(self, text: str, response_url: str, **fields: str) -> Reply:
        """The command's answer. One that takes longer than the ack allows (a loaded machine)
        comes through ``response_url``, as in Slack; given the emulator's ``responses``, it is
        waited for and returned as if it had come in the ack."""
        key = response_url.rsplit("/", 1)[-1]
        recorder = None if self.responses is None else self.responses.get(key)
        before = 0 if recorder is None else len(recorder.items)
        reply = await self.ack_of_command(text, response_url, **fields)
        if recorder is None or reply.status != HTTPStatus.OK or reply.body:
            return reply
        items = await recorder.wait(lambda items: len(items) > before)
        return Reply(reply.status, json.dumps(items[before]))

    async def ack_of_command(self, text: str, response_url: str, **fields: str) -> Reply:
        """The HTTP answer to the command alone: empty when the answer comes later."""
        body = urlencode(command_payload(text, response_url, **fields))
        return await self.post(body, "application/x-www-form-urlencoded")

    async def event(self, payload: dict[str, Any], retry_num: int | None = None) -> Reply:
        headers = {} if retry_num is None else {"X-Slack-Retry-Num": str(retry_num)}
        if retry_num is not None:
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return await self.post(json.dumps(payload), "application/json", headers)

    async def action(self, payload: dict[str, Any]) -> Reply:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def post(
        self,
        body: str,
        content_type: str,
        extra_headers: dict[str, str] | None = None,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> Reply:
        """Post ``body`` signed as Slack would; ``timestamp``/``signature`` override for tests
        of stale or forged requests."""
        moment = str(int(time.time()) if timestamp is None else timestamp)
        signed = self.verifier.generate_signature(timestamp=moment, body=body) or ""
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": moment,
            "X-Slack-Signature": signed if signature is None else signature,
        } | (extra_headers or {})
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return Reply(response.status, await response.text())

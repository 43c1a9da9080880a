"""The Slack emulator with what delivery needs on top: time-based message ``ts`` values,
message metadata kept and served back by ``conversations.history`` from the messages it
recorded, and posts held until several replicas have sent one."""

import asyncio
import contextlib
import itertools
import time
from typing import Any

from aiohttp import web

from tests.support.slack_emulator import SlackEmulator

Params = dict[str, Any]
HOLD_GUARD_SECONDS = 20.0  # a guard against a hanging test, not a timing assertion


class DeliveryEmulator(SlackEmulator):
    def __init__(self) -> None:
        super().__init__()
        self._sequence = itertools.count(1)
        self._senders_wanted = 0
        self._senders: set[str] = set()
        self._senders_seen = asyncio.Event()

    def hold_posts_for_senders(self, count: int) -> None:
        """Answer no ``chat.postMessage`` until calls have come with ``count`` different tokens
        (different replicas): none of them can finish a message, so none can finish the work
        before the others join in. A guard lets them through if the others never come."""
        self._senders_wanted = count

    async def _api(self, request: web.Request) -> web.Response:
        if self._senders_wanted and request.match_info["method"] == "chat.postMessage":
            await self._wait_for_senders(request.headers.get("Authorization", ""))
        return await super()._api(request)

    async def _wait_for_senders(self, authorization: str) -> None:
        self._senders.add(authorization)
        if len(self._senders) >= self._senders_wanted:
            self._senders_seen.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(HOLD_GUARD_SECONDS):
                await self._senders_seen.wait()

    def next_ts(self) -> str:
        """Like Slack's: the posting time to the microsecond; the sequence keeps them unique."""
        micros = int(time.time() * 1_000_000) + next(self._sequence)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _reply(
        self, method: str, params: Params, authorization: str
    ) -> tuple[int, Params, dict[str, str]]:
        if method in {"chat.postMessage", "chat.update"}:
            status, answer, headers = super()._reply(method, params, authorization)
            if answer.get("ok"):
                self._keep_metadata(params, answer)
            return status, answer, headers
        if method == "conversations.history":
            return 200, self._history(params), {}
        return super()._reply(method, params, authorization)

    def _keep_metadata(self, params: Params, answer: Params) -> None:
        if params.get("metadata"):
            message = self.messages[(str(params["channel"]), str(answer["ts"]))]
            message["metadata"] = params["metadata"]

    def _history(self, params: Params) -> Params:
        channel = str(params.get("channel", ""))
        oldest = float(params.get("oldest") or 0)
        found = [
            self._shown(message, params)
            for (where, ts), message in self.messages.items()
            if where == channel and float(ts) >= oldest
        ]
        found.sort(key=lambda message: float(message["ts"]), reverse=True)
        # Newest first, ``limit`` at a time (Slack's default page is 100), from the cursor on.
        start = int(params.get("cursor") or 0)
        end = start + int(params.get("limit") or 100)
        more = end < len(found)
        cursor = {"next_cursor": str(end) if more else ""}
        return {
            "ok": True,
            "messages": found[start:end],
            "has_more": more,
            "response_metadata": cursor,
        }

    @staticmethod
    def _shown(message: Params, params: Params) -> Params:
        include = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        return message if include else {k: v for k, v in message.items() if k != "metadata"}

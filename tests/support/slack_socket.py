"""Socket Mode for the Slack emulator: ``apps.connections.open`` hands out a ``ws://`` URL on the
emulator; its websocket says ``hello``, delivers the envelopes a test pushes, and records the acks.
"""

import asyncio
import itertools
import json
import uuid
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import WSMsgType, web

from tests.support.recorder import Recorder

if TYPE_CHECKING:
    from tests.support.slack_emulator import SlackEmulator

EnvelopeType = Literal["slash_commands", "events_api", "interactive"]


class SocketModeServer:
    def __init__(self, emulator: "SlackEmulator") -> None:
        self._emulator = emulator
        self._tickets: set[str] = set()
        self._serial = itertools.count(1)
        self.connections: list[web.WebSocketResponse] = []
        self.opened = Recorder()  # one item per websocket that connected
        self.acks = Recorder()  # (envelope_id, payload or None), in order received
        self.withhold_urls = False  # answer apps.connections.open without a URL

    def open_connection(self) -> dict[str, Any]:
        """The answer to ``apps.connections.open``."""
        if self.withhold_urls:
            return {"ok": True}
        return {"ok": True, "url": self.issue_url()}

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/socket-mode/", self._websocket)

    def issue_url(self) -> str:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        host = self._emulator.url.removeprefix("http://")
        return f"ws://{host}/socket-mode/?ticket={ticket}"

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            raise web.HTTPUnauthorized(text="unknown ticket")
        self._tickets.discard(ticket)
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json(_hello(next(self._serial)))
        self.connections.append(socket)
        await self.opened.add(socket)
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    await self._record_ack(json.loads(message.data))
        finally:
            self.connections.remove(socket)
        return socket

    async def _record_ack(self, message: dict[str, Any]) -> None:
        envelope_id = message.get("envelope_id")
        if envelope_id:
            await self.acks.add((envelope_id, message.get("payload")))

    async def connected(self) -> web.WebSocketResponse:
        """The newest open connection, once the bot has made one."""
        await self.opened.wait(lambda _: any(not s.closed for s in self.connections))
        return [s for s in self.connections if not s.closed][-1]

    async def push(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Deliver one envelope to the bot; returns its ``envelope_id``."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": (
                kind != "events_api"
                if accepts_response_payload is None
                else accepts_response_payload
            ),
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        socket = await self.connected()
        await socket.send_json(envelope)
        return envelope_id

    async def ack(self, envelope_id: str) -> dict[str, Any] | None:
        """Wait for the bot's ack of an envelope; returns its payload (None if it had none)."""
        acks = await self.acks.wait(lambda items: any(i[0] == envelope_id for i in items))
        payload: dict[str, Any] | None = next(p for found, p in acks if found == envelope_id)
        return payload

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the bot to reconnect, as Slack does every few hours."""
        socket = await self.connected()
        await socket.send_json({"type": "disconnect", "reason": reason})
        await socket.close()

    async def close(self) -> None:
        await asyncio.gather(*(socket.close() for socket in list(self.connections)))


def _hello(serial: int) -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": f"emulator-{serial}", "approximate_connection_time": 18060},
        "connection_info": {"app_id": "A0NEWSBOT"},
    }

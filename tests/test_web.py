"""The aiohttp application around the Slack app: health check and plugins."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.runtime.state import RUNTIME, Runtime
from bot.store import Store
from bot.store.database import create_engine
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.slack_emulator import SlackEmulator

UNREACHABLE = {
    "postgresql": "postgresql+asyncpg://127.0.0.1:1/nowhere",  # nothing listens on port 1
    "sqlite": "sqlite+aiosqlite:////nonexistent-directory/newsbot.db",
}


@pytest.mark.parametrize("engine", sorted(UNREACHABLE))
async def test_health_is_503_while_the_database_is_unreachable(
    engine: str, slack: SlackEmulator, tmp_path: Path
) -> None:
    database = create_engine(UNREACHABLE[engine])
    store = Store(database, async_sessionmaker(database))
    settings = bot_settings(slack, UNREACHABLE[engine], tmp_path)
    try:
        async with running_bot(make_runtime(settings, store), slack) as bot:
            reply = await bot.get("/healthz")
    finally:
        await store.close()
    assert reply.status == 503
    assert reply.json() == {"status": "unavailable", "database": "unreachable"}


async def test_plugins_add_routes_and_background_tasks(bot: RunningBot) -> None:
    """How another part of newsbot (``POST /ingest``, a delivery worker) joins the server."""
    events: list[str] = []

    async def hello(request: web.Request) -> web.Response:
        runtime: Runtime = request.app[RUNTIME]
        return web.json_response({"api": runtime.settings.slack_api_url})

    async def worker(_app: web.Application) -> AsyncIterator[None]:
        events.append("started")
        yield
        events.append("stopped")

    def plugin(app: web.Application) -> None:
        app.router.add_post("/hello", hello)
        app.cleanup_ctx.append(worker)

    async with running_bot(bot.runtime, bot.slack, plugins=[plugin]) as served:
        async with served.session.post(served.url + "/hello") as response:
            assert await response.json() == {"api": bot.slack.api_url}
        assert events == ["started"]
        assert (await served.get("/healthz")).status == 200
    assert events == ["started", "stopped"]


async def test_socket_mode_serves_no_slack_events_route(bot: RunningBot) -> None:
    async with running_bot(bot.runtime, bot.slack, slack_events=False) as served:
        reply = await served.sender.command("latest", bot.slack.response_url())
        health = await served.get("/healthz")
    assert reply.status == 404
    assert health.status == 200

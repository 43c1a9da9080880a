"""Running the real newsbot aiohttp application on a free loopback port, pointed at the emulator."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.runtime.settings import Settings
from bot.runtime.state import SERVICES, Runtime
from bot.runtime.state import make_runtime as runtime_for
from bot.runtime.web import EVENTS_PATH, build_web_app
from bot.store.database import Store
from tests.support.recorder import WAIT_SECONDS
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import Reply, SlackSender

SIGNING_SECRET = "8f742231b10e8888abcd99e0f3a5b7c9"
BOT_TOKEN = "xoxb-1111-2222-newsbot-test"
APP_TOKEN = "xapp-1-A0NEWSBOT-3333-newsbot-test"


def bot_settings(slack: SlackEmulator, database_url: str, posts_dir: Path) -> Settings:
    # Values given here win over the environment and a .env file.
    return Settings.model_validate(
        {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_app_token": APP_TOKEN,
            "slack_api_url": slack.api_url,
            "database_url": database_url,
            "posts_dir": posts_dir,
        }
    )


def make_runtime(settings: Settings, store: Store) -> Runtime:
    return runtime_for(settings, store)


@dataclass
class RunningBot:
    url: str
    slack: SlackEmulator
    runtime: Runtime
    sender: SlackSender
    session: aiohttp.ClientSession

    async def get(self, path: str) -> Reply:
        async with self.session.get(self.url + path) as response:
            return Reply(response.status, await response.text())


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 and a free port; yields its base URL."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def _caught_up(app: web.Application) -> None:
    """Until the app has read its posts directory at start, as tests expect of their bot."""
    async with asyncio.timeout(WAIT_SECONDS):
        while app[SERVICES].catch_up.running:  # noqa: ASYNC110 - a flag the app's task clears
            await asyncio.sleep(0.01)


@asynccontextmanager
async def running_bot(
    runtime: Runtime, slack: SlackEmulator, **web_options: Any
) -> AsyncIterator[RunningBot]:
    app = build_web_app(runtime, **web_options)
    async with serving(app) as url, aiohttp.ClientSession() as s:
        await _caught_up(app)
        sender = SlackSender(s, url + EVENTS_PATH, SIGNING_SECRET, slack.responses)
        yield RunningBot(url, slack, runtime, sender, s)

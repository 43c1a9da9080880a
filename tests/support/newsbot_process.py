"""``newsbot serve`` as an operator runs it: a real child process, found by its announcement."""

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.support.recorder import WAIT_SECONDS

Process = asyncio.subprocess.Process

# Settings the child must not inherit from whoever runs the tests.
NEWSBOT_VARIABLES = {
    "DATABASE_URL",
    "PORT",
    "NEWSBOT_POSTS_DIR",
    "NEWSBOT_INGEST_TOKEN",
    "NEWSBOT_ANSWER_CACHE_SECONDS",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "NEWSBOT_METRICS",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(**settings: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in NEWSBOT_VARIABLES}
    return inherited | settings


@dataclass
class Finished:
    status: int
    stdout: str
    stderr: str


async def _spawn(cwd: Path, args: tuple[str, ...], settings: dict[str, str]) -> Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=environment(**settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def run_newsbot(cwd: Path, *args: str, **settings: str) -> Finished:
    """Run ``newsbot ARGS`` to its end (for start-up failures)."""
    child = await _spawn(cwd, args, settings)
    try:
        async with asyncio.timeout(WAIT_SECONDS * 3):
            out, err = await child.communicate()
    finally:
        if child.returncode is None:  # a newsbot that did not end is not left running
            child.kill()
            await child.wait()
    assert child.returncode is not None
    return Finished(child.returncode, out.decode(), err.decode())


async def health(url: str) -> dict[str, Any]:
    """The body of ``GET /healthz`` at ``url``."""
    async with aiohttp.ClientSession() as session, session.get(url) as reply:
        body: dict[str, Any] = await reply.json()
        return body


async def _caught_up(url: str) -> None:
    async with asyncio.timeout(WAIT_SECONDS * 3):
        while (await health(url))["status"] == "catching_up":  # noqa: ASYNC110 - another process
            await asyncio.sleep(0.05)


@asynccontextmanager
async def serving_newsbot(cwd: Path, *args: str, **settings: str) -> AsyncIterator[Process]:
    """``newsbot serve ARGS`` running until the block ends, then stopped with SIGTERM; the block
    starts once it has read the posts directory (``/healthz`` no longer says ``catching_up``)."""
    async with _serving(cwd, args, settings, caught_up=True) as child:
        yield child


@asynccontextmanager
async def listening_newsbot(cwd: Path, *args: str, **settings: str) -> AsyncIterator[Process]:
    """``newsbot serve ARGS`` from the moment it listens, while it may still be catching up."""
    async with _serving(cwd, args, settings, caught_up=False) as child:
        yield child


@asynccontextmanager
async def _serving(
    cwd: Path, args: tuple[str, ...], settings: dict[str, str], caught_up: bool
) -> AsyncIterator[Process]:
    child = await _spawn(cwd, ("serve", *args), settings)
    assert child.stdout is not None and child.stderr is not None
    try:
        async with asyncio.timeout(WAIT_SECONDS * 3):
            announcement = await child.stdout.readline()
        if not announcement:
            problem = (await child.stderr.read()).decode()
            raise AssertionError(f"newsbot serve did not start: {problem}")
        if caught_up:
            await _caught_up(f"http://127.0.0.1:{settings.get('PORT', '3000')}/healthz")
        yield child
    finally:
        if child.returncode is None:
            child.terminate()
        async with asyncio.timeout(WAIT_SECONDS):
            await child.wait()

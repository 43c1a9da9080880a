"""Real ``newsbot serve`` processes, for the delivery proofs under faults."""

import asyncio
import os
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests.support.bot_server import SIGNING_SECRET
from tests.support.slack_emulator import SlackEmulator

START_SECONDS = 60.0  # a guard against a hanging test, not a timing assertion


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Replica:
    name: str
    process: asyncio.subprocess.Process
    url: str
    log: Path

    @property
    def token(self) -> str:
        return replica_token(self.name)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last transaction, exactly like a crashed machine."""
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        await self.process.wait()


def replica_token(name: str) -> str:
    return f"xoxb-1111-replica-{name}"


async def start_replica(
    name: str,
    slack: SlackEmulator,
    database_url: str,
    posts_dir: Path,
    workdir: Path,
    **settings: str,
) -> Replica:
    """``settings`` changes the environment; a value of ``""`` unsets the variable."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": replica_token(name),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "NEWSBOT_POSTS_DIR": str(posts_dir),
        "PORT": str(port),
        **settings,
    }
    env = {key: value for key, value in env.items() if value}
    log = workdir / f"replica-{name}.log"
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "-v",
            "serve",
            env=env,
            cwd=workdir,
            stdout=output,
            stderr=output,
        )
    replica = Replica(name, process, f"http://127.0.0.1:{port}", log)
    await _healthy(replica)
    return replica


async def _healthy(replica: Replica) -> None:
    async with asyncio.timeout(START_SECONDS), aiohttp.ClientSession() as http:
        while True:
            if replica.process.returncode is not None:
                raise RuntimeError(f"replica {replica.name} exited: {replica.log.read_text()}")
            try:
                async with http.get(replica.url + "/healthz") as reply:
                    if reply.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)

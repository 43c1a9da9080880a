"""HTTP benchmark: signed ``/news latest`` slash commands against ``newsbot serve``, and against a
bare bolt app whose ``/news`` handler only acks "hello", in the same run.

Both servers are real child processes on the same web stack (aiohttp + bolt's aiohttp adapter),
with their Web API client pointed at the project's Slack emulator. The load comes from 16
concurrent clients in this process, each sending one signed request at a time.

    python -m bench.http                      # 100,000 generated posts, SQLite
    python -m bench.http --posts 20000 --requests 2000
    python -m bench.http --database-url postgresql+asyncpg://127.0.0.1/newsbot_bench
    python -m bench.http --answer-cache-seconds 0   # every answer read and rendered afresh

A --database-url must name an empty database you can throw away.
"""

import sys
from pathlib import Path

# Run as a file, this script's folder would come first on sys.path and its name would shadow the
# standard library's ``http``, which aiohttp imports; put the checkout there instead.
REPO = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == REPO / "bench":
    sys.path[0] = str(REPO)

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench.ingest import generate
from tests.support.newsbot_process import environment, free_port
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import command_payload

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
CLIENTS = 16
START_SECONDS = 900  # generous: newsbot serve ingests the generated posts before it listens


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    latencies: list[float]
    failures: int

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def line(self) -> str:
        return (
            f"{self.name:<16} {self.rate:8,.0f} req/s   p50 {self.percentile(0.5):6.1f} ms   "
            f"p99 {self.percentile(0.99):6.1f} ms   ({len(self.latencies):,} requests, "
            f"{self.failures} failed)"
        )


class Load:
    """Signed ``/news latest`` requests from CLIENTS concurrent clients, one at a time each."""

    def __init__(self, url: str, response_url: str, expect: bytes) -> None:
        self.url = url
        self.response_url = response_url
        self.expect = expect
        self.verifier = SignatureVerifier(SIGNING_SECRET)

    def _signed(self) -> tuple[bytes, dict[str, str]]:
        body = urlencode(command_payload("latest", self.response_url))
        moment = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": moment,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=moment, body=body)
            or "",
        }
        return body.encode(), headers

    async def run(self, name: str, total: int) -> Result:
        latencies: list[float] = []
        failures = 0
        tickets = iter(range(total))

        async def client(session: aiohttp.ClientSession) -> None:
            nonlocal failures
            for _ in tickets:
                body, headers = self._signed()
                started = time.perf_counter()
                async with session.post(self.url, data=body, headers=headers) as response:
                    answer = await response.read()
                latencies.append(time.perf_counter() - started)
                if response.status != 200 or self.expect not in answer:
                    failures += 1

        connector = aiohttp.TCPConnector(limit=CLIENTS)
        async with aiohttp.ClientSession(connector=connector) as session:
            started = time.perf_counter()
            await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
            seconds = time.perf_counter() - started
        return Result(name, seconds, latencies, failures)


async def start(command: Sequence[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start a server child and wait for the line it prints once it listens."""
    child = await asyncio.create_subprocess_exec(
        *command, cwd=REPO, env=env, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    async with asyncio.timeout(START_SECONDS):
        if not await child.stdout.readline():
            raise SystemExit(f"{command[2:]} did not start (exit status {await child.wait()})")
    return child


async def stop(child: asyncio.subprocess.Process) -> None:
    child.terminate()
    await child.wait()


async def measure(
    name: str, command: Sequence[str], env: dict[str, str], expect: bytes, counts: tuple[int, int]
) -> Result:
    """Start the server, warm it up, then time ``counts[1]`` requests."""
    started = time.perf_counter()
    child = await start(command, env)
    print(f"{name}: listening after {time.perf_counter() - started:.1f} s", flush=True)
    try:
        url = f"http://127.0.0.1:{env['PORT']}/slack/events"
        load = Load(url, env["BENCH_RESPONSE_URL"], expect)
        warmup, requests = counts
        await load.run(name, warmup)
        return await load.run(name, requests)
    finally:
        await stop(child)


async def compare(args: argparse.Namespace) -> None:
    slack = SlackEmulator()
    await slack.start()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as temp:
        posts = Path(temp) / "posts"
        posts.mkdir()
        started = time.perf_counter()
        generate(posts, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.1f} s")
        url = args.database_url or f"sqlite+aiosqlite:///{temp}/bench.db"
        env = _server_environment(slack, url, posts)
        if args.answer_cache_seconds is not None:
            env["NEWSBOT_ANSWER_CACHE_SECONDS"] = args.answer_cache_seconds
        if args.database_url:
            await upgrade(env)
        counts = (args.warmup, args.requests)
        bare_command = [sys.executable, "-m", "bench.http", "--bare-app"]
        bare = await measure("bare bolt app", bare_command, env, b"hello", counts)
        serve_command = [sys.executable, "-m", "bot", "serve"]
        ours = await measure("newsbot serve", serve_command, env, b'"blocks"', counts)
    await slack.close()
    report(args, url, bare, ours)


async def upgrade(env: dict[str, str]) -> None:
    upgrading = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "db", "upgrade", cwd=REPO, env=env
    )
    if await upgrading.wait() != 0:
        raise SystemExit("newsbot db upgrade failed")


def _server_environment(slack: SlackEmulator, database_url: str, posts: Path) -> dict[str, str]:
    return environment(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        NEWSBOT_POSTS_DIR=str(posts),
        PORT=str(free_port()),
        BENCH_RESPONSE_URL=slack.response_url("bench"),
    )


def report(args: argparse.Namespace, url: str, bare: Result, ours: Result) -> None:
    engine = url.split(":", 1)[0]
    memo = args.answer_cache_seconds if args.answer_cache_seconds is not None else "default"
    print(
        f"\n{args.posts:,} posts ({engine}), {CLIENTS} concurrent clients, signed /news latest, "
        f"NEWSBOT_ANSWER_CACHE_SECONDS {memo}"
    )
    print(bare.line())
    print(ours.line())
    print(
        f"ratio            newsbot / bare throughput: {ours.rate / bare.rate:.2f}   "
        f"(target >= 0.50); newsbot p99 target < 100 ms"
    )


def serve_bare_app() -> None:
    """The baseline: the same web stack, with a ``/news`` handler that only acks "hello"."""
    asyncio.run(_bare_app())


async def _bare_app() -> None:
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    # Taken out of the environment so bolt does not also read it and warn that the client wins.
    token = os.environ.pop("SLACK_BOT_TOKEN")
    client = AsyncWebClient(token=token, base_url=os.environ["SLACK_API_URL"])
    bolt = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    async def hello(ack: AsyncAck) -> None:
        await ack("hello")

    bolt.command("/news")(hello)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    runner = web.AppRunner(app)
    await runner.setup()
    port = int(os.environ["PORT"])
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"bare bolt app on 127.0.0.1:{port}", flush=True)
    await asyncio.Event().wait()  # until terminated


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=4_000, help="timed requests per server")
    parser.add_argument("--warmup", type=int, default=400, help="untimed requests first")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp directory")
    parser.add_argument(
        "--answer-cache-seconds",
        help="NEWSBOT_ANSWER_CACHE_SECONDS for newsbot serve (default: newsbot's own default)",
    )
    parser.add_argument("--bare-app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_app:
        serve_bare_app()
    else:
        asyncio.run(compare(args))


if __name__ == "__main__":
    main()

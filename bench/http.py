"""HTTP benchmark: a mix of signed ``/news`` slash commands against ``newsbot serve`` with its
answer memo on and with it off, and against a bare bolt app whose ``/news`` handler only acks
"hello", all in one run.

The three servers are real child processes on the same web stack (aiohttp + bolt's aiohttp
adapter), with their Web API client pointed at the project's Slack emulator; neither side waits
on bolt's 10 ms ack poll (the bare app processes before it responds, newsbot answers when its
listener acks). The load comes from 16 concurrent connections in this process, each sending one
signed request at a time (signed before the clock starts), cycling through a mix: ``latest``,
``latest CATEGORY N``, ``categories``, ``show ID`` and a dozen searches. Each round times every
server once, in an order that rotates from round to round, with the other two stopped (SIGSTOP)
so that their background work takes nothing from it; the ratios are the medians of each round's
ratios. A timed run sends at least ``--requests`` requests and goes on for at least
``--seconds`` (default 3), the same for every server: longer than the answer memo keeps an
answer (2 s), so a server with the memo on is timed as it runs, making each lapsed answer
again every 2 s, not only in the burst that remakes them all when it is resumed. Each server's
CPU time per request is reported too: on 2 cores the load's own process can set the pace when a
server is quick, and the CPU figure is its cost whoever sets the pace.

    python -m bench.http                      # 100,000 generated posts, SQLite
    python -m bench.http --posts 20000 --requests 2000 --rounds 3
    python -m bench.http --database-url postgresql+asyncpg://127.0.0.1/newsbot_bench
    python -m bench.http --check              # exit status 1 when a target is missed

Targets: memo off >= 0.5x the bare app's throughput with p99 < 100 ms; memo on >= 0.9x.
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
import itertools
import os
import random
import signal
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.ingest import CATEGORIES, Vocabulary, generate
from bench.machine import described
from tests.support.newsbot_process import environment, free_port
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import command_payload

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
CLIENTS = 16
START_SECONDS = 900  # generous: a guard, and the catch-up of a large directory
MEMO_OFF_RATIO, MEMO_OFF_P99_MS, MEMO_ON_RATIO = 0.5, 100.0, 0.9
SETTLE_SECONDS = 0.5  # for a resumed server's overdue timers to fire before the clock starts
# NEWSBOT_ANSWER_CACHE_SECONDS's default. A resumed server's remembered answers have all lapsed,
# and each is made again at the start of the run: a run shorter than their lifetime counts those
# answers several times as often as a server that keeps answering makes them.
MEMO_SECONDS = 2.0


@dataclass
class Side:
    """One server under test and what its rounds measured."""

    name: str
    command: list[str]
    env: dict[str, str]
    expect: bytes
    process: asyncio.subprocess.Process | None = None
    rounds: list["Result"] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.env['PORT']}"

    def latencies(self) -> list[float]:
        return [ms for result in self.rounds for ms in result.latencies]

    def rate(self) -> float:
        return sum(len(r.latencies) for r in self.rounds) / sum(r.seconds for r in self.rounds)

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far (it runs no child processes)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cpu_per_request(self) -> float:
        """Milliseconds of the server's CPU per request: the cost, whoever sets the pace."""
        return 1000 * sum(r.cpu for r in self.rounds) / len(self.latencies())

    def p(self, fraction: float) -> float:
        ordered = sorted(self.latencies())
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def line(self) -> str:
        failures = sum(r.failures for r in self.rounds)
        return (
            f"{self.name:<22} {self.rate():8,.0f} req/s   p50 {self.p(0.5):6.1f} ms   "
            f"p99 {self.p(0.99):6.1f} ms   CPU {self.cpu_per_request():5.2f} ms/request   "
            f"({len(self.latencies()):,} requests, {failures} failed)"
        )


@dataclass(frozen=True)
class Result:
    seconds: float
    latencies: list[float]
    failures: int
    cpu: float  # the server's CPU seconds (user and system) over the round

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def request_mix(posts: Path, seed: int = 16) -> list[str]:
    """The commands the load cycles through: browsing, showing posts, a dozen searches."""
    rng = random.Random(seed)
    files = sorted(posts.rglob("*.md"))
    shown = [f"show {path.stem}" for path in rng.sample(files, 4)]
    words = Vocabulary(random.Random(20261124)).words  # the posts' vocabulary, commonest first
    searches = [f"search {word}" for word in words[3:300:25]]
    browsing = ["latest", "categories", *(f"latest {c} 5" for c in CATEGORIES[:4])]
    mix = browsing + shown + searches
    rng.shuffle(mix)
    return mix


class Load:
    """Signed ``/news`` requests from CLIENTS concurrent connections, one at a time each."""

    def __init__(self, response_url: str, texts: list[str]) -> None:
        self.response_url = response_url
        self.texts = itertools.cycle(texts)
        self.verifier = SignatureVerifier(SIGNING_SECRET)

    def _signed(self) -> tuple[bytes, dict[str, str]]:
        body = urlencode(command_payload(next(self.texts), self.response_url))
        moment = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": moment,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=moment, body=body)
            or "",
        }
        return body.encode(), headers

    async def run(self, side: Side, total: int, seconds: float = 0.0) -> Result:
        """At least ``total`` requests, and on until ``seconds`` have passed; signed before the
        clock starts, so that the load costs as little of the machine the servers share as it
        can (a request is signed once, as Slack does; past ``total`` the same ones go again)."""
        latencies: list[float] = []
        failures = 0
        tickets = itertools.cycle([self._signed() for _ in range(total)])
        url = side.base + "/slack/events"
        started = 0.0

        def more() -> bool:
            return len(latencies) < total or time.perf_counter() - started < seconds

        async def client(session: aiohttp.ClientSession) -> None:
            nonlocal failures
            while more():
                body, headers = next(tickets)
                sent = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    answer = await response.read()
                latencies.append(time.perf_counter() - sent)
                if response.status != 200 or side.expect not in answer:
                    failures += 1

        connector = aiohttp.TCPConnector(limit=CLIENTS)
        async with aiohttp.ClientSession(connector=connector) as session:
            cpu, started = side.cpu_seconds(), time.perf_counter()
            await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
            elapsed = time.perf_counter() - started
        return Result(elapsed, latencies, failures, side.cpu_seconds() - cpu)


async def start(side: Side) -> None:
    """Start a server child, wait for the line it prints once it listens, then until its
    ``/healthz`` no longer says it is catching up with the posts directory."""
    started = time.perf_counter()
    side.process = child = await asyncio.create_subprocess_exec(
        *side.command, cwd=REPO, env=side.env, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    async with asyncio.timeout(START_SECONDS):
        if not await child.stdout.readline():
            raise SystemExit(f"{side.name} did not start (exit status {await child.wait()})")
        listening = time.perf_counter() - started
        await caught_up(side)
    print(
        f"{side.name}: listening after {listening:.1f} s, "
        f"caught up after {time.perf_counter() - started:.1f} s",
        flush=True,
    )


async def caught_up(side: Side) -> None:
    async with aiohttp.ClientSession() as session:
        while True:
            async with session.get(side.base + "/healthz") as reply:
                if reply.status != 200 or (await reply.json())["status"] != "catching_up":
                    return
            await asyncio.sleep(0.5)


async def alone(measured: Side, sides: list[Side]) -> None:
    """Stop the other servers (SIGSTOP) while ``measured`` is timed: an idle newsbot still
    re-scans its posts directory and polls for deliveries, which would take the measured side's
    CPU (the bare app's most, with two newsbots idle beside it)."""
    for side in sides:
        if side.process is not None and side.process.returncode is None:
            side.process.send_signal(signal.SIGCONT if side is measured else signal.SIGSTOP)
    await asyncio.sleep(SETTLE_SECONDS)


async def stop(side: Side) -> None:
    if side.process is not None and side.process.returncode is None:
        side.process.send_signal(signal.SIGCONT)
        side.process.terminate()
        await side.process.wait()


async def compare(args: argparse.Namespace) -> bool:
    slack = SlackEmulator()
    await slack.start()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as temp:
        posts = Path(temp) / "posts"
        posts.mkdir()
        started = time.perf_counter()
        generate(posts, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.1f} s")
        url = args.database_url or f"sqlite+aiosqlite:///{temp}/bench.db"
        sides = _sides(slack, url, posts)
        if args.database_url:
            await upgrade(sides[0].env)
        try:
            for (
                side
            ) in sides:  # one after the other: the first reads the posts, the rest find them read
                await start(side)
            await settle(url)
            load = Load(slack.response_url("bench"), request_mix(posts))
            for side in sides:
                await alone(side, sides)
                await load.run(side, args.warmup)
            for number in range(args.rounds):
                turn = sides[number % 3 :] + sides[: number % 3]  # a rotating order
                for side in turn:
                    await alone(side, sides)
                    side.rounds.append(await load.run(side, args.requests, args.seconds))
        finally:
            for side in sides:
                await stop(side)
    await slack.close()
    return report(args, url, sides)


def _sides(slack: SlackEmulator, url: str, posts: Path) -> list[Side]:
    serve = [sys.executable, "-m", "bot", "serve"]
    bare = [sys.executable, "-m", "bench.http", "--bare-app"]
    return [
        Side("bare bolt app", bare, _environment(slack, url, posts), b"hello"),
        Side("newsbot, memo on", serve, _environment(slack, url, posts), b'"blocks"'),
        Side(
            "newsbot, memo off",
            serve,
            _environment(slack, url, posts, NEWSBOT_ANSWER_CACHE_SECONDS="0"),
            b'"blocks"',
        ),
    ]


async def settle(url: str) -> None:
    """On PostgreSQL, ``VACUUM ANALYZE`` the freshly filled database, as autovacuum soon does on
    a server where it is on (a test server may have it off): without statistics the planner
    guesses, and without a visibility map an index-only scan reads every row it passes."""
    if not url.startswith("postgresql"):
        return
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("VACUUM ANALYZE"))
    finally:
        await engine.dispose()


async def upgrade(env: dict[str, str]) -> None:
    upgrading = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "db", "upgrade", cwd=REPO, env=env
    )
    if await upgrading.wait() != 0:
        raise SystemExit("newsbot db upgrade failed")


def _environment(
    slack: SlackEmulator, database_url: str, posts: Path, **more: str
) -> dict[str, str]:
    return environment(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        NEWSBOT_POSTS_DIR=str(posts),
        PORT=str(free_port()),
        **more,
    )


def report(args: argparse.Namespace, url: str, sides: list[Side]) -> bool:
    """Print the figures; True when every target is met."""
    bare, memo_on, memo_off = sides
    engine = url.split(":", 1)[0]
    print(
        f"\n{args.posts:,} posts ({engine}), {CLIENTS} connections, a mix of /news commands, "
        f"{args.rounds} rounds; {described()}"
    )
    for side in sides:
        print(side.line())
    on, off = _ratio(memo_on, bare), _ratio(memo_off, bare)
    checks = [
        (f"memo on / bare: {on:.2f} (target >= {MEMO_ON_RATIO})", on >= MEMO_ON_RATIO),
        (f"memo off / bare: {off:.2f} (target >= {MEMO_OFF_RATIO})", off >= MEMO_OFF_RATIO),
        (
            f"memo off p99: {memo_off.p(0.99):.1f} ms (target < {MEMO_OFF_P99_MS:.0f} ms)",
            memo_off.p(0.99) < MEMO_OFF_P99_MS,
        ),
        ("no failed requests", not any(r.failures for s in sides for r in s.rounds)),
    ]
    for line, met in checks:
        print(f"{'met   ' if met else 'MISSED'} {line}")
    return all(met for _, met in checks)


def _ratio(ours: Side, bare: Side) -> float:
    """The median over rounds of the throughput ratio within each round."""
    return statistics.median(o.rate / b.rate for o, b in zip(ours.rounds, bare.rounds, strict=True))


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
    # Processing before it responds: its handler is the whole answer, so no 10 ms ack poll.
    bolt = AsyncApp(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )

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
    parser.add_argument("--requests", type=int, default=2_000, help="timed requests per round")
    parser.add_argument(
        "--seconds",
        type=float,
        default=MEMO_SECONDS + 1,
        help="each timed run goes on until this long has passed too",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds timing each server once")
    parser.add_argument("--warmup", type=int, default=400, help="untimed requests first")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp directory")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--bare-app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_app:
        serve_bare_app()
        return
    met = asyncio.run(compare(args))
    if args.check and not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

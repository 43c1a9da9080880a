"""Fan-out benchmark: one new post to 1,000 subscribed channels through the delivery engine,
against 1,000 raw ``AsyncWebClient.chat_postMessage`` calls with the same card, in one run.

The Slack emulator (``tests/delivery_emulator.py``, no rate limit) runs in its own process, so
it does not share an event loop with what is measured. Both sides use the client newsbot's
factory makes and the same number of calls in flight (the engine's concurrency). The engine's
figure covers everything a real fan-out does: planning the 1,000 ledger rows, leasing the
channels, marking rows ``sending``, posting, and recording each ``ts``; its clock stops when
the engine reports the last delivery recorded (nothing polls the database meanwhile). Each side
runs ``--warmup`` uncounted rounds (filling connection pools and statement caches on both
sides), then ``--rounds`` counted ones, alternating which goes first. Both sides call through
one shared HTTP session (kept-alive connections), as ``newsbot serve`` does. Reported: each
side's best round, their ratio, and the median of the rounds' paired ratios (the figure the
target of 0.8 applies to), which holds up better on a busy machine.

    python bench/fanout.py
    python bench/fanout.py --channels 1000 --database-url postgresql+asyncpg://127.0.0.1/bench
    python bench/fanout.py --check     # exit status 1 when the target is missed

A --database-url must name an empty database you can throw away.
"""

import argparse
import asyncio
import gc
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The emulator lives in tests/; and bench/ itself must not be on the path, where bench/http.py
# would shadow the standard library's http module.
sys.path[0] = str(REPO)

import aiohttp  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from bench.machine import described  # noqa: E402
from bot.news.answers import PostCard  # noqa: E402
from bot.news.delivery.engine import Deliverer, EngineSettings  # noqa: E402
from bot.news.delivery.send import Result  # noqa: E402
from bot.news.ingest.scan import ingest  # noqa: E402
from bot.posts import Post  # noqa: E402
from bot.runtime.serve import settle_startup_objects  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from bot.runtime.state import make_client  # noqa: E402
from bot.slack.blocks import render  # noqa: E402
from bot.slack.publisher import SlackPublisher  # noqa: E402
from bot.store import Store, migrations, open_store  # noqa: E402
from bot.store.database import create_engine  # noqa: E402
from bot.store.deliveries import outstanding  # noqa: E402
from bot.store.delivery_plans import unplanned_posts  # noqa: E402
from bot.store.posts import latest_posts  # noqa: E402
from bot.store.subscriptions import Subscription, save_subscriptions  # noqa: E402
from tests.support.delivery_emulator import DeliveryEmulator  # noqa: E402
from tests.support.factory import write_post  # noqa: E402

TEAM = "T0BENCH"
TARGET = 0.8
TOKEN = "xoxb-bench-fanout"


def serve_emulator(pipe: Connection) -> None:
    # The emulator keeps every call it receives, so its collector's full passes grew round by
    # round (124 to 379 ms seen) and landed inside timed rounds, the engine's more often than
    # not: Slack's own pauses are not what this measures. A few thousand kept calls fit in
    # memory without collecting.
    gc.disable()

    async def serve() -> None:
        emulator = DeliveryEmulator()
        await emulator.start()
        pipe.send(emulator.api_url)
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # until told to stop
        await emulator.close()

    asyncio.run(serve())


async def migrated_store(url: str) -> Store:
    engine = create_engine(url)
    await migrations.upgrade(engine)
    await engine.dispose()
    return await open_store(url)


def channel_ids(round_number: int, channels: int) -> list[str]:
    """Each round has its own channels, so no channel is still waiting out its pacing."""
    return [f"C{round_number:02d}{n:05d}" for n in range(channels)]


async def subscribe_channels(store: Store, round_number: int, channels: int) -> None:
    now = datetime.now(UTC)
    category = f"bench{round_number}"
    subscriptions = [
        Subscription(TEAM, channel, category, category, "U0BENCH", now)
        for channel in channel_ids(round_number, channels)
    ]
    async with store.sessions.begin() as session:
        await save_subscriptions(session, subscriptions)


async def add_post(store: Store, posts_dir: Path, round_number: int) -> Post:
    moment = datetime.now(UTC)
    write_post(
        posts_dir,
        f"{moment:%Y-%m-%d}-bench-round-{round_number}.md",
        title=f"Benchmark round {round_number}",
        category=f"bench{round_number}",
        date=f"{moment:%Y-%m-%d %H:%M:%S}",
    )
    await ingest(store, [posts_dir])
    async with store.sessions() as session:
        (post,) = await latest_posts(session, 1)
    return post


async def engine_round(store: Store, client: AsyncWebClient, channels: int) -> float:
    """Seconds from a new post's arrival in the store to its last delivery recorded. The engine
    says when it has recorded deliveries, so the clock needs no polling of the database (which
    would load the machine it measures); the ledger is checked once the clock has stopped."""
    done = asyncio.Event()
    posted = 0

    def recorded(results: Sequence[Result]) -> None:
        nonlocal posted
        posted += sum(result.posted for result in results)
        if posted >= channels:
            done.set()

    publisher = SlackPublisher(client)
    deliverer = Deliverer(store, publisher, EngineSettings(), on_recorded=recorded)
    started = time.perf_counter()
    task = asyncio.create_task(deliverer.run())
    try:
        await done.wait()
        elapsed = time.perf_counter() - started
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    async with store.sessions() as session:
        if await unplanned_posts(session, 1) or await outstanding(session):
            raise SystemExit("the engine stopped with deliveries outstanding")
    return elapsed


async def raw_round(
    client: AsyncWebClient, post: Post, channels: list[str], in_flight: int
) -> float:
    """Seconds for one bare chat.postMessage call per channel, with the same card."""
    card = render(PostCard(post))
    slots = asyncio.Semaphore(in_flight)

    async def post_one(channel: str) -> None:
        async with slots:
            await client.chat_postMessage(
                channel=channel, text=card.text, blocks=card.blocks, unfurl_links=False
            )

    started = time.perf_counter()
    await asyncio.gather(*(post_one(channel) for channel in channels))
    return time.perf_counter() - started


async def run(args: argparse.Namespace, api_url: str, workdir: Path) -> bool:
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'fanout.db'}"
    store = await migrated_store(url)
    settings = Settings.model_validate(
        {"slack_bot_token": TOKEN, "slack_api_url": api_url, "database_url": url}
    )
    posts_dir = workdir / "posts"
    in_flight = EngineSettings().concurrency
    raw: list[float] = []
    engine: list[float] = []
    http = aiohttp.ClientSession()  # one pool of kept-alive connections, shared by both sides
    client = make_client(settings, http)
    settle_startup_objects()  # as `newsbot serve` does once started, for both sides alike
    try:
        for number in range(args.warmup + args.rounds):
            await subscribe_channels(store, number, args.channels)
            post = await add_post(store, posts_dir, number)
            channels = channel_ids(number, args.channels)
            if number % 2 == 0:  # alternate which goes first, so neither always runs warm
                raw_seconds = await raw_round(client, post, channels, in_flight)
                engine_seconds = await engine_round(store, client, args.channels)
            else:
                engine_seconds = await engine_round(store, client, args.channels)
                raw_seconds = await raw_round(client, post, channels, in_flight)
            if number >= args.warmup:  # the warm-up rounds fill caches and pools on both sides
                raw.append(raw_seconds)
                engine.append(engine_seconds)
    finally:
        await http.close()
        await store.close()
    return report(args.channels, raw, engine, url)


def report(channels: int, raw: list[float], engine: list[float], url: str) -> bool:
    """Print the figures; True when the median paired ratio meets the target."""
    raw_rate, engine_rate = channels / min(raw), channels / min(engine)
    paired = statistics.median(r / e for r, e in zip(raw, engine, strict=True))
    print(f"database: {url.split('://')[0]}; {channels} channels, {len(raw)} rounds")
    print(f"raw chat_postMessage:  {raw_rate:8.0f} deliveries/s  (best round, {min(raw):.2f} s)")
    print(
        f"delivery engine:       {engine_rate:8.0f} deliveries/s  (best round, {min(engine):.2f} s)"
    )
    print(f"ratio of best rounds:  {engine_rate / raw_rate:8.2f}")
    rounds = ", ".join(f"{r:.2f}/{e:.2f}" for r, e in zip(raw, engine, strict=True))
    print(f"each round, raw/engine seconds: {rounds}")
    print(described())
    met = paired >= TARGET
    print(f"{'met   ' if met else 'MISSED'} median paired ratio: {paired:.2f} (target >= {TARGET})")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--database-url", help="an empty database to use (default: SQLite)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    ours, theirs = multiprocessing.Pipe()
    emulator = multiprocessing.get_context("spawn").Process(target=serve_emulator, args=(theirs,))
    emulator.start()
    try:
        api_url = ours.recv()
        with tempfile.TemporaryDirectory() as workdir:
            met = asyncio.run(run(args, api_url, Path(workdir)))
    finally:
        ours.send("stop")
        emulator.join(10)
    if args.check and not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

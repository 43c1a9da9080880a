"""Delivery under faults, with real ``newsbot serve`` processes and the Slack emulator: replicas
sharing one PostgreSQL database, and a replica killed with SIGKILL on SQLite and PostgreSQL.
Every (channel, post) is posted exactly once, judged from the emulator's record of the messages
Slack accepted, and no channel is sent to faster than its pace, judged from the moments the
emulator received each call."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.news.delivery.engine import EngineSettings
from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from bot.store.deliveries import SENDING, SENT
from bot.store.locks import INGEST_LOCK
from bot.store.schema import PostRow
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import new_post, rows, subscribe, until
from tests.support.newsbot_process import health
from tests.support.replicas import Replica, start_replica
from tests.support.slack_emulator import Call
from tests.test_delivery import posted_ids
from tests.test_delivery_pacing import gaps_between_messages, waits_after_429s

# Replicas as real processes, SIGKILLs and database restarts: each test takes seconds.
pytestmark = pytest.mark.slow


@dataclass
class Rig:
    slack: DeliveryEmulator
    store: Store
    database_url: str
    posts_dir: Path
    workdir: Path
    replicas: list[Replica]

    async def start(self, name: str) -> Replica:
        replica = await start_replica(
            name, self.slack, self.database_url, self.posts_dir, self.workdir
        )
        self.replicas.append(replica)
        return replica

    async def subscribe_channels(self, count: int) -> list[str]:
        channels = [f"C{n:03d}" for n in range(count)]
        for channel in channels:
            await subscribe(self.store, channel, "Politics")
        return channels

    async def all_sent(self, expected: int) -> None:
        async def done() -> bool:
            states = [row.state for row in await rows(self.store)]
            return len(states) == expected and set(states) == {SENT}

        await until(done)


@pytest.fixture
async def rig(postgres_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    """Replicas on PostgreSQL."""
    async with _rig(postgres_url, tmp_path) as made:
        yield made


@pytest.fixture
async def any_rig(database_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    """Replicas on SQLite, then on PostgreSQL."""
    async with _rig(database_url, tmp_path) as made:
        yield made


@asynccontextmanager
async def _rig(database_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    engine = create_engine(database_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(database_url)
    slack = DeliveryEmulator()
    await slack.start()
    posts_dir = tmp_path / "posts"
    posts_dir.mkdir()
    rig = Rig(slack, store, database_url, posts_dir, tmp_path, [])
    try:
        yield rig
    finally:
        await asyncio.gather(*(replica.stop() for replica in rig.replicas))
        await slack.close()
        await store.close()


def expected_pairs(channels: list[str], posts: list[Path]) -> Counter[tuple[str, str]]:
    return Counter({(channel, post.stem): 1 for channel in channels for post in posts})


async def write_burst(posts_dir: Path, waves: int, per_wave: int) -> list[Path]:
    """Posts dropped into the directory in waves a second apart, as a busy newsroom would."""
    written: list[Path] = []
    for wave in range(waves):
        written += [new_post(posts_dir, f"wave-{wave}-story-{n}") for n in range(per_wave)]
        await asyncio.sleep(1)
    return written


async def test_two_replicas_deliver_a_burst_exactly_once(rig: Rig) -> None:
    # More channels than one replica leases at once (its claim batch and its calls in flight),
    # and Slack answers no post until both replicas have sent one: the first replica cannot
    # finish (or even lease) everything before the other looks, so they really compete.
    engine = EngineSettings()
    channels = await rig.subscribe_channels(engine.claim_batch + engine.concurrency + 40)
    rig.slack.hold_posts_for_senders(2)
    first, second = await rig.start("a"), await rig.start("b")
    posts = await write_burst(rig.posts_dir, waves=2, per_wave=2)
    await rig.all_sent(len(channels) * len(posts))
    # What a user cares about: every (channel, post) exactly once.
    assert posted_ids(rig.slack) == expected_pairs(channels, posts)
    senders = Counter(
        call.headers["Authorization"].removeprefix("Bearer ")
        for call in rig.slack.calls_to("chat.postMessage")
        if call.ok
    )
    assert set(senders) == {first.token, second.token}


async def test_two_replicas_starting_together_read_the_posts_directory_once(rig: Rig) -> None:
    """Both replicas answer at once and catch up with the posts directory in the background,
    each in its turn at the ingest gate (the PostgreSQL lock every ingest takes), so they never
    write the same new posts at once. Held here, the gate keeps both catch-ups waiting before
    they read a file, while both already answer; let go, every post reaches every channel
    once."""
    channels = await rig.subscribe_channels(3)
    posts = [new_post(rig.posts_dir, f"waiting-{n}") for n in range(120)]
    async with _ingest_gate_held(rig.database_url) as waiters:
        replicas = [await rig.start(name) for name in ("a", "b")]
        await until(lambda: _both_waiting(waiters, len(replicas)))
        assert await _stored_posts(rig.store) == 0
        for replica in replicas:
            assert (await health(replica.url + "/healthz"))["status"] == "catching_up"
    await rig.all_sent(len(channels) * len(posts))
    assert posted_ids(rig.slack) == expected_pairs(channels, posts)
    assert await _stored_posts(rig.store) == len(posts)


@asynccontextmanager
async def _ingest_gate_held(database_url: str) -> AsyncIterator[Callable[[], Awaitable[int]]]:
    """Hold the ingest gate from outside; yields a count of the sessions waiting for it."""
    url = make_url(database_url)
    holder = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", INGEST_LOCK)

        async def waiting() -> int:
            count = await holder.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            return int(count)

        yield waiting
        await holder.execute("SELECT pg_advisory_unlock($1)", INGEST_LOCK)
    finally:
        await holder.close()


async def _both_waiting(waiters: Callable[[], Awaitable[int]], replicas: int) -> bool:
    return await waiters() == replicas


async def _stored_posts(store: Store) -> int:
    async with store.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PostRow)) or 0)


async def test_a_replica_killed_mid_fan_out_is_finished_by_its_restart(any_rig: Rig) -> None:
    rig = any_rig
    channels = await rig.subscribe_channels(80)
    victim = await rig.start("victim")
    rig.slack.slow_down("chat.postMessage", 0.5)
    post = new_post(rig.posts_dir, "kill-switch")
    await rig.slack.wait_for("chat.postMessage", 20)
    victim.kill()
    await victim.process.wait()
    stranded = [row for row in await rows(rig.store) if row.state == SENDING]
    posted_channels = {channel for channel, _ in rig.slack.messages}
    # The crash window was hit: some messages are in Slack while their rows say "sending".
    assert any(row.key.channel_id in posted_channels for row in stranded)
    sent_before = {row.key for row in await rows(rig.store) if row.state == SENT}
    rig.slack.heal("chat.postMessage")
    await rig.start("restarted")
    await rig.all_sent(len(channels))
    assert posted_ids(rig.slack) == expected_pairs(channels, [post])
    assert rig.slack.calls_to("conversations.history"), "stranded rows were looked up"
    after = {row.key: row.message_ts for row in await rows(rig.store)}
    assert all(after[key] is not None for key in sent_before)


async def test_a_replica_killed_in_a_rate_limit_window_is_finished_once_at_its_pace(
    any_rig: Rig,
) -> None:
    """Slack refuses every post for a few seconds (429, Retry-After 1) and then answers slowly;
    the replica is killed just after Slack accepted a post it never heard back about. Its
    restart posts everything else once, and no channel ever got a message sooner than
    Retry-After after a 429, or two messages less than a second apart."""
    rig = any_rig
    channels = await rig.subscribe_channels(6)
    victim = await rig.start("victim")
    first = new_post(rig.posts_dir, "before-the-limit")
    await rig.all_sent(len(channels))
    rig.slack.rate_limit_window("chat.postMessage", 4.0, retry_after=1)
    rig.slack.slow_down("chat.postMessage", 1.0)
    second = new_post(rig.posts_dir, "in-the-limit")
    await rig.slack.calls.wait(lambda calls: _accepted(calls, second.stem))
    victim.kill()
    await victim.process.wait()
    rig.slack.heal("chat.postMessage")
    await rig.start("restarted")
    await rig.all_sent(2 * len(channels))
    assert posted_ids(rig.slack) == expected_pairs(channels, [first, second])
    assert rig.slack.calls_to("conversations.history"), "the unanswered post was looked up"
    calls = rig.slack.calls_to("chat.postMessage")
    assert any(call.status == 429 for call in calls)
    for channel in channels:
        sent_there = [call for call in calls if call.params.get("channel") == channel]
        assert all(waited >= asked for asked, waited in waits_after_429s(sent_there))
        assert all(gap >= 1.0 for gap in gaps_between_messages(sent_there))


def _accepted(calls: list[Call], post_id: str) -> bool:
    return any(
        call.method == "chat.postMessage" and call.ok and post_id in str(call.params)
        for call in calls
    )


async def test_every_fifth_post_refused_with_429_still_delivers_exactly_once(rig: Rig) -> None:
    channels = await rig.subscribe_channels(30)
    rig.slack.rate_limit("chat.postMessage", every=5, retry_after=1)
    await rig.start("only")
    posts = await write_burst(rig.posts_dir, waves=3, per_wave=2)
    await rig.all_sent(len(channels) * len(posts))
    assert posted_ids(rig.slack) == expected_pairs(channels, posts)
    refused = [c for c in rig.slack.calls_to("chat.postMessage") if c.status == 429]
    assert len(refused) >= len(rig.slack.sent("chat.postMessage")) // 5


async def test_a_database_restart_does_not_stop_delivery(rig: Rig) -> None:
    """Every connection the replica holds is cut, as when PostgreSQL restarts; delivery goes on
    once the database answers again, without losing or doubling a post."""
    channels = await rig.subscribe_channels(5)
    await rig.start("steady")
    before = new_post(rig.posts_dir, "before-the-restart")
    await rig.all_sent(len(channels))
    await _cut_connections(rig.database_url)
    await rig.store.engine.dispose()  # the test's own connections were cut too
    after = new_post(rig.posts_dir, "after-the-restart")
    await rig.all_sent(2 * len(channels))
    assert posted_ids(rig.slack) == expected_pairs(channels, [before, after])


async def _cut_connections(database_url: str) -> None:
    url = make_url(database_url)
    admin = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database="test")
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            url.database,
        )
    finally:
        await admin.close()

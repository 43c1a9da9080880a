"""Channel auto-posts through the real engine, the real Slack publisher and the Slack emulator
over HTTP, on SQLite and PostgreSQL: each (channel, post) once, bursts grouped, edits in place,
failing channels paused, rate limits waited out, lost answers looked up rather than resent."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.news.delivery.engine import EngineSettings
from bot.news.delivery.plan import PlanReport, plan_deliveries
from bot.news.delivery.send import Pacing
from bot.slack.publisher import EVENT_TYPE
from bot.store import Store
from bot.store.channels import channel_pause, resume_channel
from bot.store.deliveries import FAILED, PENDING, SENDING, SENT, DeliveryKey, begin_sending
from bot.store.posts import posts_by_id
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import (
    QUICK,
    SUBSCRIBER,
    TEAM,
    ingest_dir,
    new_post,
    rows,
    running,
    subscribe,
    until,
    until_settled,
)
from tests.support.factory import write_post


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


def posted_ids(slack: DeliveryEmulator) -> Counter[tuple[str, str]]:
    """(channel, post id) for every post in every message Slack accepted."""
    counts: Counter[tuple[str, str]] = Counter()
    for params in slack.sent("chat.postMessage"):
        meta = params.get("metadata") or {}
        if meta.get("event_type") == EVENT_TYPE:
            for post_id in meta["event_payload"]["post_ids"].split():
                counts[(params["channel"], post_id)] += 1
    return counts


async def test_a_new_post_reaches_each_matching_channel_once(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    await subscribe(store, "C2", "Politics", "Science")
    await subscribe(store, "C3", "Sports")
    post = new_post(posts_dir, "vote-counted", "Politics")
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
    post_id = post.stem
    assert posted_ids(slack) == Counter({("C1", post_id): 1, ("C2", post_id): 1})
    cards = slack.sent("chat.postMessage")
    assert all(card["blocks"][0]["type"] == "header" for card in cards)
    ledger = await rows(store)
    ts_by_channel = {row.key.channel_id: row.message_ts for row in ledger}
    assert [row.state for row in ledger] == [SENT, SENT]
    assert {(ch, ts) for ch, ts in ts_by_channel.items()} <= set(slack.messages)


async def test_posts_in_the_store_before_a_subscription_are_not_news(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    new_post(posts_dir, "old-news")
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
        await subscribe(store, "C1", "Politics")
        fresh = new_post(posts_dir, "fresh-news")
        await ingest_dir(store, posts_dir)
        await until_settled(store)
    assert posted_ids(slack) == Counter({("C1", fresh.stem): 1})


async def test_with_no_subscriber_new_posts_are_planned_in_one_go(
    store: Store, posts_dir: Path
) -> None:
    """Nothing to fan out to, so nothing is queued; and an edit made afterwards is still
    planned as an edit (its delivered messages, if any, are updated in place)."""
    stories = [new_post(posts_dir, f"story-{n}") for n in range(3)]
    await ingest_dir(store, posts_dir)
    first = await plan_deliveries(store)
    assert (first.new_posts, first.edited_posts, first.queued) == (3, 0, 0)
    assert await plan_deliveries(store) == PlanReport()
    write_post(posts_dir, stories[0].name, title="Story corrected")
    await ingest_dir(store, posts_dir)
    assert await plan_deliveries(store) == PlanReport(edited_posts=1)


async def test_a_burst_for_one_channel_becomes_one_grouped_message(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    paths = [new_post(posts_dir, f"burst-{n}") for n in range(6)]
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
    messages = slack.sent("chat.postMessage")
    assert len(messages) == 1
    assert posted_ids(slack) == Counter({("C1", path.stem): 1 for path in paths})
    assert {row.message_ts for row in await rows(store)} == {slack_ts(slack)}


def slack_ts(slack: DeliveryEmulator) -> str:
    (channel_ts,) = slack.messages
    return channel_ts[1]


async def test_an_edited_post_updates_the_delivered_message_in_place(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    path = new_post(posts_dir, "first-draft", title="First draft")
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
        moment = datetime.now(UTC)
        write_post(
            posts_dir, path.name, title="Corrected title", date=f"{moment:%Y-%m-%d %H:%M:%S}"
        )
        await ingest_dir(store, posts_dir)
        await slack.wait_for("chat.update")
        await until_settled(store)
    assert len(slack.sent("chat.postMessage")) == 1
    (update,) = slack.sent("chat.update")
    assert update["ts"] == slack_ts(slack)
    assert "Corrected title" in update["text"]
    (row,) = await rows(store)
    async with store.sessions() as session:
        post = (await posts_by_id(session, [path.stem]))[path.stem]
    assert (row.state, row.content_hash) == (SENT, post.content_hash)


async def test_a_channel_the_bot_left_is_paused_and_its_subscriber_told(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    await subscribe(store, "C2", "Politics")
    slack.fail_channel("C2", "not_in_channel")
    post = new_post(posts_dir, "still-delivered")
    await ingest_dir(store, posts_dir)
    async with running(store, slack):

        async def c2_paused() -> bool:
            async with store.sessions() as session:
                return await channel_pause(session, TEAM, "C2") is not None

        await until(c2_paused)
        await slack.wait_for("conversations.open")
        dm = await _direct_message(slack)
        states = {row.key.channel_id: row.state for row in await rows(store)}
        assert states == {"C1": SENT, "C2": PENDING}
        # Invited back and resumed: what was waiting is delivered, once.
        del slack.faults.channel_errors["C2"]
        async with store.sessions.begin() as session:
            await resume_channel(session, TEAM, "C2")
        await until_settled(store)
    async with store.sessions() as session:
        assert await channel_pause(session, TEAM, "C2") is None
    assert posted_ids(slack) == Counter({("C1", post.stem): 1, ("C2", post.stem): 1})
    assert slack.sent("conversations.open") == [{"users": SUBSCRIBER}]
    assert "<#C2>" in dm["text"] and "/invite @newsbot" in dm["text"]


async def _direct_message(slack: DeliveryEmulator) -> dict[str, Any]:
    def is_dm(params: dict[str, Any]) -> bool:
        return str(params.get("channel", "")).startswith("D")

    await slack.calls.wait(lambda calls: any(c.ok and is_dm(c.params) for c in calls))
    return next(params for params in slack.sent("chat.postMessage") if is_dm(params))


async def test_rate_limits_beyond_the_client_retries_lose_nothing(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    """Every call is refused with 429 until the client's own retries run out; then Slack
    recovers, and each channel still gets the post exactly once."""
    for n in range(3):
        await subscribe(store, f"C{n}", "Politics")
    post = new_post(posts_dir, "after-the-storm")
    await ingest_dir(store, posts_dir)
    slack.rate_limit("chat.postMessage", every=1, retry_after=0)
    async with running(store, slack):
        await slack.wait_for("chat.postMessage", 3 * 4)  # each first try and its 3 retries
        slack.heal("chat.postMessage")
        await until_settled(store)
    assert posted_ids(slack) == Counter({(f"C{n}", post.stem): 1 for n in range(3)})


async def _stranded(store: Store, channel: str, post_id: str, since: datetime) -> None:
    """The ledger as a replica leaves it when it dies after marking a row ``sending``."""
    async with store.sessions.begin() as session:
        post = (await posts_by_id(session, [post_id]))[post_id]
        key = DeliveryKey(TEAM, channel, post_id)
        await begin_sending(session, [(key, post.content_hash)], since)


async def test_a_send_whose_answer_was_lost_is_looked_up_not_resent(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    await subscribe(store, "C2", "Politics")
    post = new_post(posts_dir, "lost-answer")
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
    before = await rows(store)
    # C1's message exists in Slack but its row says "sending"; C2 was never sent at all.
    started = datetime.now(UTC) - timedelta(seconds=5)
    await _stranded(store, "C1", post.stem, started)
    await _stranded(store, "C2", post.stem, started)
    slack.messages = {key: m for key, m in slack.messages.items() if key[0] == "C1"}
    slack.calls.items.clear()
    assert {row.state for row in await rows(store)} == {SENDING}
    async with running(store, slack):
        await until_settled(store)
    assert posted_ids(slack) == Counter({("C2", post.stem): 1})
    after = {row.key.channel_id: row for row in await rows(store)}
    assert after["C1"].message_ts == next(r.message_ts for r in before if r.key.channel_id == "C1")
    assert {row.state for row in after.values()} == {SENT}


async def test_a_channel_gets_at_most_about_one_message_a_second(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    paced = EngineSettings(poll_seconds=0.2, pacing=Pacing(group_limit=2))
    for n in range(6):
        new_post(posts_dir, f"paced-{n}")
    await ingest_dir(store, posts_dir)
    async with running(store, slack, paced):
        await until_settled(store)
    times = sorted(float(ts) for _, ts in slack.messages)
    assert len(times) == 3
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= 0.95


async def test_a_restarted_engine_sends_nothing_again(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    for n in range(4):
        await subscribe(store, f"C{n}", "Politics")
    new_post(posts_dir, "once-only")
    await ingest_dir(store, posts_dir)
    async with running(store, slack, QUICK):
        await until_settled(store)
    async with running(store, slack, QUICK):
        await until_settled(store)
    assert set(posted_ids(slack).values()) == {1}
    assert len(posted_ids(slack)) == 4


async def test_an_edit_to_a_post_in_a_grouped_message_updates_the_group(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    paths = [new_post(posts_dir, f"grouped-{n}", title=f"Grouped story {n}") for n in range(3)]
    await ingest_dir(store, posts_dir)
    async with running(store, slack):
        await until_settled(store)
        moment = datetime.now(UTC)
        write_post(
            posts_dir,
            paths[1].name,
            title="Story one, corrected",
            date=f"{moment:%Y-%m-%d %H:%M:%S}",
        )
        await ingest_dir(store, posts_dir)
        await slack.wait_for("chat.update")
        await until_settled(store)
    (update,) = slack.sent("chat.update")
    assert update["ts"] == slack_ts(slack)
    shown = str(update["blocks"])
    assert "Story one, corrected" in shown
    assert "Grouped story 0" in shown and "Grouped story 2" in shown
    assert len(slack.sent("chat.postMessage")) == 1


async def test_a_post_slack_keeps_refusing_ends_failed_with_the_reason(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    new_post(posts_dir, "refused")
    await ingest_dir(store, posts_dir)
    slack.fail("chat.postMessage", "invalid_blocks")
    quick_retries = EngineSettings(
        poll_seconds=0.2, pacing=Pacing(interval=timedelta(0), backoff=timedelta(milliseconds=20))
    )
    async with running(store, slack, quick_retries):

        async def failed() -> bool:
            return [row.state for row in await rows(store)] == [FAILED]

        await until(failed)
    (row,) = await rows(store)
    assert row.attempts == Pacing().max_attempts
    assert len(slack.calls_to("chat.postMessage")) == Pacing().max_attempts
    assert row.last_error == "invalid_blocks"


async def test_a_server_error_is_looked_up_before_the_post_is_sent_again(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    """A 5xx may come after Slack stored the message: the engine checks the channel's history
    first, and sends again only because the message is not there."""
    await subscribe(store, "C1", "Politics")
    post = new_post(posts_dir, "server-hiccup")
    await ingest_dir(store, posts_dir)
    slack.fail("chat.postMessage", "internal_error", status=500, times=1)
    async with running(store, slack):
        await until_settled(store)
    assert posted_ids(slack) == Counter({("C1", post.stem): 1})
    assert len(slack.calls_to("conversations.history")) == 1

"""Each Slack event is handled once, even when Slack retries it to another replica sharing the
database; old event ids are pruned."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.slack.dedupe import RETENTION, EventLedger
from bot.store import Store, open_store
from bot.store.schema import SlackEventRow
from tests.support.bot_server import RunningBot, make_runtime, running_bot
from tests.support.slack_requests import event_payload, message_event


async def _stored_events(store: Store) -> int:
    async with store.sessions() as session:
        return await session.scalar(select(func.count()).select_from(SlackEventRow)) or 0


async def test_an_event_id_is_taken_once(store: Store) -> None:
    ledger = EventLedger(store)
    assert await ledger.first_sighting("Ev001", "T0NEWS")
    assert not await ledger.first_sighting("Ev001", "T0NEWS")
    assert await ledger.first_sighting("Ev002", "T0NEWS")


async def test_replicas_agree_on_who_takes_an_event(store: Store) -> None:
    """Two replicas (two engines on one database) race for the same ids: one wins each."""
    other = await open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        ledgers = [EventLedger(store), EventLedger(other)] * 4
        for event_id in ("Ev100", "Ev101", "Ev102"):
            wins = await asyncio.gather(
                *(ledger.first_sighting(event_id, "T") for ledger in ledgers)
            )
            assert sum(wins) == 1
    finally:
        await other.close()


async def test_old_event_ids_are_pruned(store: Store) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    clock = [now]
    ledger = EventLedger(store, clock=lambda: clock[0])
    for number in range(5):
        await ledger.first_sighting(f"Ev{number}", "T0NEWS")
    assert await _stored_events(store) == 5
    clock[0] = now + RETENTION + timedelta(minutes=1)
    assert await ledger.first_sighting("EvLater", "T0NEWS")
    assert await _stored_events(store) == 1


async def test_a_retry_sent_to_another_replica_is_skipped(bot: RunningBot) -> None:
    settings = bot.runtime.settings
    other_store = await open_store(settings.database_url)
    try:
        async with running_bot(make_runtime(settings, other_store), bot.slack) as replica:
            original = event_payload(message_event("latest"))
            assert (await bot.sender.event(original)).status == 200
            await bot.slack.wait_for("chat.postMessage")
            assert (await replica.sender.event(original, retry_num=1)).status == 200
            await replica.sender.event(event_payload(message_event("categories")))
            calls = await bot.slack.wait_for("chat.postMessage", count=2)
    finally:
        await other_store.close()
    assert len(calls) == 2
    assert "Categories" in calls[1].params["text"]

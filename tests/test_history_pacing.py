"""Crash recovery under Slack's 2025 history limit (one conversations.history call a minute with
15 messages, per workspace, for apps outside the Marketplace): lookups wait their workspace's
turn across replicas, read at most 15 messages, and never guess; without the history scopes a
post whose send was cut short is marked failed at once rather than sent twice."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot import messages
from bot.news.delivery.recovery import wait_for_history
from bot.news.delivery.send import Pacing, Verify, carry_out
from bot.news.publisher import PublishError
from bot.slack.publisher import DISTRIBUTED_APP_HISTORY, HISTORY_UNREAD, SlackPublisher
from bot.store import Store
from bot.store.deliveries import FAILED, SENDING, ChannelKey, Delivery, DeliveryKey
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import slack_client

MINUTE = 60.0
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


def lookup(team_id: str, channel_id: str = "C0NEWS") -> Verify:
    key = DeliveryKey(team_id, channel_id, "2026-12-06-budget")
    row = Delivery(key, SENDING, None, "hash", 1, NOW - timedelta(minutes=2))
    return Verify(ChannelKey(team_id, channel_id), (row,))


async def test_one_lookup_a_minute_per_workspace(store: Store) -> None:
    first = await wait_for_history(store, lookup("T1", "C1"), MINUTE, NOW)
    second = await wait_for_history(store, lookup("T1", "C2"), MINUTE, NOW)
    other_workspace = await wait_for_history(store, lookup("T2", "C1"), MINUTE, NOW)
    a_minute_later = await wait_for_history(
        store, lookup("T1", "C2"), MINUTE, NOW + timedelta(minutes=1)
    )
    assert first is None and other_workspace is None and a_minute_later is None
    assert second is not None
    assert second.next_due == NOW + timedelta(minutes=1)
    # The rows keep waiting as they are: nothing is sent again meanwhile.
    assert [(o.state, o.error) for o in second.outcomes] == [(SENDING, messages.HISTORY_TURN)]


async def test_a_workspace_without_the_limit_is_not_paced(store: Store) -> None:
    assert await wait_for_history(store, lookup("T1"), 0, NOW) is None
    assert await wait_for_history(store, lookup("T1"), 0, NOW) is None


async def test_a_lookup_reads_fifteen_messages_and_never_guesses(slack: DeliveryEmulator) -> None:
    publisher = SlackPublisher(slack_client(slack), history=DISTRIBUTED_APP_HISTORY)
    for n in range(16):
        await publisher.client.chat_postMessage(channel="C0NEWS", text=f"chatter {n}")
    with pytest.raises(PublishError) as raised:
        await publisher.find_delivered(
            ChannelKey("T1", "C0NEWS"), ["lost"], NOW - timedelta(days=1)
        )
    [call] = slack.calls_to("conversations.history")
    assert int(call.params["limit"]) == 15
    assert raised.value.reason == HISTORY_UNREAD


async def test_without_the_history_scopes_a_cut_short_send_fails_at_once(
    slack: DeliveryEmulator,
) -> None:
    slack.fail_channel("C0NEWS", "missing_scope")
    publisher = SlackPublisher(slack_client(slack))
    result = await carry_out(lookup("T1"), publisher, Pacing(), lambda: NOW)
    assert [o.state for o in result.outcomes] == [FAILED]
    assert "missing_scope" in (result.outcomes[0].error or "")

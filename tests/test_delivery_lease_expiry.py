"""A channel whose turn is still under way when its lease runs out (the heartbeat that renews
it was late: a busy machine, a slow database) stays that turn's, on both engines: the engine
does not take it again, so it neither looks the post up in the middle of sending it nor
lets a second turn's answer overwrite when the channel is due (a rate limit's wait, say)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.news.delivery.claim import claim_actions
from bot.news.delivery.send import Send, Verify
from bot.store import Store
from bot.store.channel_leases import extend_leases
from bot.store.deliveries import ChannelKey
from bot.store.schema import DeliveryChannelRow
from tests.support.delivery_helpers import TEAM, budget_day_planned

OWNER = "replica-a"
LEASE = timedelta(seconds=15)


async def test_a_turn_outliving_its_lease_keeps_its_channel(store: Store, posts_dir: Path) -> None:
    channel = ChannelKey(TEAM, "C0BUSY")
    await budget_day_planned(store, posts_dir, channel.channel_id)
    started = datetime.now(UTC)
    [send] = await claim_actions(store, OWNER, started, LEASE, 10, 5)
    assert isinstance(send, Send) and send.channel == channel

    # The lease has run out while the turn still waits on Slack: its own engine leaves it be.
    late = started + LEASE * 2
    assert await claim_actions(store, OWNER, late, LEASE, 10, 5, held={channel}) == []
    # Anyone else may presume the owner dead, and looks the post up before sending again.
    [lookup] = await claim_actions(store, "replica-b", late, LEASE, 10, 5)
    assert isinstance(lookup, Verify) and lookup.channel == channel


async def test_a_heartbeat_extends_its_own_leases_only(store: Store, posts_dir: Path) -> None:
    await budget_day_planned(store, posts_dir, "C0MINE", "C0THEIRS", "C0SPARE")
    started = datetime.now(UTC)
    [mine] = await claim_actions(store, OWNER, started, LEASE, 1, 5)
    [theirs] = await claim_actions(store, "replica-b", started, LEASE, 1, 5)
    later = started + LEASE * 3
    async with store.sessions.begin() as session:
        await extend_leases(session, OWNER, [mine.channel, theirs.channel], later)
    async with store.sessions() as session:
        rows = (await session.scalars(select(DeliveryChannelRow))).all()
    leases = {row.channel_id: (row.owner, row.lease_until) for row in rows}
    assert leases[mine.channel.channel_id] == (OWNER, later)
    assert leases[theirs.channel.channel_id] == ("replica-b", started + LEASE)
    [spare] = set(leases) - {mine.channel.channel_id, theirs.channel.channel_id}
    assert leases[spare] == (None, None)

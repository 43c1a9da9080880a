"""Taking channels to work on: lease them, decide each one's turn, and mark rows about to be
sent as ``sending``, all in one transaction (so the marks are committed before Slack is called).
"""

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from bot.news.delivery.send import Action, Send, Update, Verify, choose
from bot.posts import Post
from bot.store import Session, Store
from bot.store.channel_leases import claim_channels, release_channels
from bot.store.deliveries import (
    OUTDATED,
    PENDING,
    SENDING,
    ChannelKey,
    Delivery,
    begin_sending,
    channel_work,
    message_rows,
)
from bot.store.posts import posts_by_id


async def claim_actions(
    store: Store,
    owner: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    group_limit: int,
    held: Collection[ChannelKey] = (),
) -> list[Action]:
    """Lease up to ``limit`` due channels, none of ``held`` (the caller's turns under way), and
    return each one's turn; a channel that turns out to have nothing to do is released at once."""
    async with store.sessions.begin() as session:
        channels = await claim_channels(session, owner, now, now + lease, limit, held)
        actions = await _decide(session, channels, now, group_limit)
        busy = {action.channel for action in actions}
        idle = [channel for channel in channels if channel not in busy]
        await release_channels(session, owner, [(channel, now) for channel in idle])
    return actions


async def _decide(
    session: Session, channels: Sequence[ChannelKey], now: datetime, group_limit: int
) -> list[Action]:
    rows_by_channel: dict[ChannelKey, list[Delivery]] = {}
    for row in await channel_work(session, channels):
        rows_by_channel.setdefault(row.key.channel, []).append(row)
    chosen = {channel: choose(rows, group_limit) for channel, rows in rows_by_channel.items()}
    wanted = {row.key.post_id for _, rows in chosen.values() for row in rows}
    posts = await posts_by_id(session, sorted(wanted))
    actions: list[Action] = []
    for channel, (state, rows) in chosen.items():
        if state == SENDING:
            actions.append(Verify(channel, tuple(rows)))
        elif state == PENDING and any(row.key.post_id in posts for row in rows):
            actions.append(_send_action(channel, rows, posts))
        elif state == OUTDATED and rows[0].message_ts is not None:
            actions.append(await _update_action(session, channel, rows[0].message_ts))
    sends = [
        (row.key, post.content_hash)
        for action in actions
        if isinstance(action, Send)
        for row, post in zip(action.rows, action.posts, strict=True)
    ]
    await begin_sending(session, sends, now)
    return actions


def _send_action(channel: ChannelKey, rows: Sequence[Delivery], posts: dict[str, Post]) -> Send:
    present = [row for row in rows if row.key.post_id in posts]
    ordered = sorted(present, key=lambda row: posts[row.key.post_id].published_at)
    return Send(channel, tuple(ordered), tuple(posts[row.key.post_id] for row in ordered))


async def _update_action(session: Session, channel: ChannelKey, message_id: str) -> Update:
    rows = await message_rows(session, channel, message_id)
    shown = await posts_by_id(session, [row.key.post_id for row in rows])
    ordered = sorted(rows, key=lambda row: shown[row.key.post_id].published_at)
    return Update(channel, message_id, tuple(ordered), tuple(shown[r.key.post_id] for r in ordered))

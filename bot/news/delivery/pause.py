"""A channel Slack will not take posts in is paused (by the delivery engine, as it records the
failure, or when a digest cannot be sent); the people who subscribed it are told here, by direct
message."""

import logging

from bot import messages
from bot.news.delivery.send import log_ids
from bot.news.publisher import Publisher, PublishError
from bot.store import Store
from bot.store.deliveries import ChannelKey
from bot.store.subscriptions import channel_subscriptions

log = logging.getLogger(__name__)


def pause_message(channel_id: str, reason: str) -> str:
    why = messages.CHANNEL_PAUSE_REASONS.get(reason) or messages.CHANNEL_PAUSED_OTHER.format(
        reason=reason
    )
    return messages.CHANNEL_PAUSED_DM.format(channel_id=channel_id, why=why)


class SubscriberNotice:
    """Tells a paused channel's subscribers why, and what to do."""

    def __init__(self, store: Store, publisher: Publisher) -> None:
        self.store = store
        self.publisher = publisher

    async def __call__(self, channel: ChannelKey, reason: str) -> None:
        async with self.store.sessions() as session:
            subscriptions = await channel_subscriptions(
                session, channel.team_id, channel.channel_id
            )
        log.warning("paused delivery to %s: %s", channel, reason, extra=log_ids(channel))
        people = sorted({s.created_by for s in subscriptions if s.created_by})
        for user_id in people:
            try:
                text = pause_message(channel.channel_id, reason)
                await self.publisher.tell_user(channel.team_id, user_id, text)
            except PublishError as error:
                log.warning(
                    "could not tell %s that %s is paused: %s",
                    user_id,
                    channel,
                    error,
                    extra=log_ids(channel),
                )

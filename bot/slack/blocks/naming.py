"""How subscriptions name things in Slack: channels, categories, delivery schedules, words."""

import re
from collections.abc import Sequence

from bot import messages
from bot.news.delivery.schedule import DigestSchedule, ScheduleError
from bot.slack.mrkdwn import escape
from bot.store.schema import ALL_CATEGORIES
from bot.store.subscriptions import Subscription

SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def channel_mention(channel_id: str) -> str:
    """A channel mention only for a real Slack id; anything else shown as inert text (no id:
    ``newsbot ask`` in no channel)."""
    if not channel_id:
        return messages.NO_CHANNEL_NAME
    return f"<#{channel_id}>" if SLACK_ID.fullmatch(channel_id) else escape(channel_id)


def category_label(subscription: Subscription) -> str:
    if subscription.category_key == ALL_CATEGORIES:
        return messages.ALL_CATEGORIES_NAME
    return subscription.category_name


def describe_delivery(digest: str | None, zone: str | None) -> str:
    """ "as they come", or "daily digest at 09:00 (Europe/Paris)"."""
    if digest is None:
        return messages.DELIVERY_LIVE
    try:
        schedule = DigestSchedule.parse(digest)
    except ScheduleError:
        return escape(digest)
    clock = schedule.at.strftime("%H:%M")
    if schedule.weekday is None:
        return messages.DIGEST_DAILY.format(time=clock, zone=escape(zone or "UTC"))
    day = DAY_NAMES[schedule.weekday]
    return messages.DIGEST_WEEKLY.format(day=day, time=clock, zone=escape(zone or "UTC"))


def quoted(words: Sequence[str]) -> str:
    """ "“budget”, “rate cut”", escaped."""
    return ", ".join(f"“{escape(word)}”" for word in words)

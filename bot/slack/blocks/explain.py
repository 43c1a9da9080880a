"""``/news why``: one post's fate in one channel, in a sentence, and the App Home's lines for a
channel's newest posts."""

from collections.abc import Callable, Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from bot import messages
from bot.news.answers import DeliveryExplained, Explanation, Why
from bot.posts import Post
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    context,
    render,
    section,
    short_date,
)
from bot.slack.blocks.naming import (
    SLACK_ID,
    category_label,
    channel_mention,
    describe_delivery,
    quoted,
)
from bot.slack.limits import MESSAGE_TEXT, clip
from bot.slack.mrkdwn import escape
from bot.slack.mrkdwn import link as mrkdwn_link

TITLE_LENGTH = 120


@render.register
def _explained(answer: DeliveryExplained, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    heading = messages.WHY_HEADING.format(
        title=escape(clip(answer.post.title, TITLE_LENGTH)),
        post_id=escape(answer.post.id),
        channel=channel_mention(answer.channel_id),
    )
    sentence = explanation_text(answer.post, answer.explanation)
    blocks: list[Block] = [context(heading), section(sentence)]
    link = answer.explanation.link
    if link:
        blocks.append(context(mrkdwn_link(link, messages.WHY_LINK)))
    return SlackMessage(clip(f"{heading}: {sentence}", MESSAGE_TEXT), as_dicts(blocks))


def latest_lines(latest: Sequence[DeliveryExplained]) -> list[str]:
    """The App Home's lines for a channel's newest posts."""
    if not latest:
        return []
    rows = [
        messages.WHY_HOME_ROW.format(
            title=escape(clip(item.post.title, TITLE_LENGTH)),
            why=explanation_text(item.post, item.explanation),
        )
        for item in latest
    ]
    return [messages.WHY_LATEST, *(f"• {row}" for row in rows)]


def explanation_text(post: Post, explanation: Explanation) -> str:
    return _SENTENCES[explanation.why](post, explanation)


def _date(moment: datetime | None) -> str:
    return short_date(moment) if moment else "?"


def _clock(moment: datetime | None) -> str:
    return f"{_date(moment)} {moment:%H:%M} UTC" if moment else "?"


def _category(e: Explanation) -> str:
    return escape(category_label(e.subscription)) if e.subscription else "?"


def _paused(_post: Post, e: Explanation) -> str:
    if e.who is not None and SLACK_ID.fullmatch(e.who):
        return messages.WHY_PAUSED_PERSON.format(user_id=e.who, date=_date(e.when))
    return messages.WHY_PAUSED_FAILURE.format(date=_date(e.when), reason=escape(e.error or "?"))


def _not_subscribed(post: Post, _e: Explanation) -> str:
    names = " or ".join(f"*{escape(name)}*" for name in post.categories)
    return messages.WHY_NOT_SUBSCRIBED.format(
        categories=names, category=escape(post.categories[0] if post.categories else "all")
    )


def _below_sentiment(post: Post, e: Explanation) -> str:
    score = post.sentiment_score
    minimum = e.subscription.min_sentiment if e.subscription else None
    return messages.WHY_BELOW_SENTIMENT.format(
        score=f"{score:g}" if score is not None else messages.WHY_NO_SCORE,
        minimum=minimum or 0,
        category=_category(e),
    )


def _digest_kind(e: Explanation) -> str:
    s = e.subscription
    return describe_delivery(s.digest, s.digest_tz) if s else "?"


_SENTENCES: dict[Why, Callable[[Post, Explanation], str]] = {
    Why.DELIVERED: lambda _p, e: messages.WHY_DELIVERED.format(date=_clock(e.when)),
    Why.UPDATING: lambda _p, e: messages.WHY_UPDATING.format(date=_clock(e.when)),
    Why.SENDING: lambda _p, _e: messages.WHY_SENDING,
    Why.QUEUED: lambda _p, _e: messages.WHY_QUEUED,
    Why.RATE_LIMITED: lambda _p, e: messages.WHY_RATE_LIMITED.format(date=_clock(e.when)),
    Why.RETRYING: lambda _p, e: messages.WHY_RETRYING.format(
        error=escape(e.error or "?"), attempts=e.attempts, date=_clock(e.when)
    ),
    Why.FAILED: lambda _p, e: messages.WHY_FAILED.format(
        error=escape(e.error or "?"), attempts=e.attempts
    ),
    Why.PAUSED: _paused,
    Why.NOT_SUBSCRIBED: _not_subscribed,
    Why.EXCLUDED: lambda _p, e: messages.WHY_EXCLUDED.format(
        word=escape(e.word or "?"), category=_category(e)
    ),
    Why.BELOW_SENTIMENT: _below_sentiment,
    Why.NO_KEYWORD: lambda _p, e: messages.WHY_NO_KEYWORD.format(
        words=quoted(e.subscription.keywords if e.subscription else ()), category=_category(e)
    ),
    Why.BEFORE_SUBSCRIBED: lambda _p, e: messages.WHY_BEFORE_SUBSCRIBED.format(
        arrived=_clock(e.when), subscribed=_clock(e.since)
    ),
    Why.IN_DIGEST: lambda _p, e: messages.WHY_IN_DIGEST.format(
        kind=_digest_kind(e), date=_clock(e.when)
    ),
    Why.DIGEST_PAST: lambda _p, e: messages.WHY_DIGEST_PAST.format(
        kind=_digest_kind(e), date=_clock(e.when)
    ),
    Why.NOT_PLANNED: lambda _p, _e: messages.WHY_NOT_PLANNED,
    Why.NOT_QUEUED: lambda _p, _e: messages.WHY_NOT_QUEUED,
}

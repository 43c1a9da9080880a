"""Subscriptions as Slack shows them: a channel's list, its status, the App Home section and a
digest's parent message."""

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock, SectionBlock

from bot import messages
from bot.news.answers import (
    ChannelStatus,
    ChannelSubscriptions,
    DigestSummary,
    WorkspaceChannel,
    WorkspaceSubscriptions,
)
from bot.posts import Post
from bot.slack.blocks.base import (
    DEFAULT_OPTIONS,
    RenderOptions,
    SlackMessage,
    as_dicts,
    chunks,
    context,
    render,
    section,
    short_date,
)
from bot.slack.blocks.explain import latest_lines
from bot.slack.blocks.lists import post_row
from bot.slack.blocks.naming import (
    SLACK_ID,
    category_label,
    channel_mention,
    describe_delivery,
    quoted,
)
from bot.slack.blocks.sources import failing_blocks
from bot.slack.limits import (
    HEADER_TEXT,
    MAX_BLOCKS,
    MESSAGE_TEXT,
    SECTION_TEXT,
    TOTAL_BLOCK_TEXT,
    clip,
)
from bot.slack.mrkdwn import bold, escape
from bot.store.channels import ChannelPause
from bot.store.subscriptions import Subscription

# A digest lists at most this many posts in its parent, within the 50-block limit.
DIGEST_ROWS = MAX_BLOCKS - 5
# Characters of listing per message, leaving room under Slack's total for everything else.
LIST_BUDGET = TOTAL_BLOCK_TEXT - 4000
LINE_LENGTH = 600


def subscription_line(subscription: Subscription) -> str:
    """``*Politics* · as they come · sentiment ≥ 6 · mentioning climate · since …, by @x``."""
    parts = [bold(category_label(subscription))]
    parts.append(describe_delivery(subscription.digest, subscription.digest_tz))
    if subscription.min_sentiment is not None:
        parts.append(messages.FILTER_SENTIMENT.format(score=subscription.min_sentiment))
    if subscription.keywords:
        parts.append(messages.FILTER_KEYWORDS.format(keywords=quoted(subscription.keywords)))
    if subscription.excluded:
        parts.append(messages.FILTER_EXCLUDED.format(words=quoted(subscription.excluded)))
    if subscription.thread:
        parts.append(messages.FILTER_THREAD)
    parts.append(_since(subscription))
    return " · ".join(parts)


def _since(subscription: Subscription) -> str:
    date = short_date(subscription.created_at)
    user = subscription.created_by
    if user and SLACK_ID.fullmatch(user):
        return messages.SUBSCRIBED_BY.format(date=date, user_id=user)
    return messages.SUBSCRIBED_SINCE.format(date=date)


def pause_line(pause: ChannelPause) -> str:
    date = short_date(pause.paused_at)
    if pause.paused_by is not None and SLACK_ID.fullmatch(pause.paused_by):
        return messages.PAUSED_BY_PERSON.format(user_id=pause.paused_by, date=date)
    reason = pause.reason or "?"
    advice = messages.FAILURE_ADVICE.get(reason, messages.FAILURE_ADVICE_OTHER)
    return messages.PAUSED_BY_FAILURE.format(date=date, reason=escape(reason), advice=advice)


def _subscription_blocks(rows: Sequence[Subscription], budget: int = LIST_BUDGET) -> list[Block]:
    if not rows:
        return [section(messages.NO_SUBSCRIPTIONS)]
    return listed([f"• {subscription_line(s)}" for s in rows], budget)


def listed(lines: list[str], budget: int) -> list[Block]:
    """Sections holding as many of the lines as ``budget`` characters allow, each line cut to
    ``LINE_LENGTH``, then how many were left out."""
    kept: list[str] = []
    used = 0
    for line in (clip(line, LINE_LENGTH) for line in lines):
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    blocks: list[Block] = [section(piece) for piece in chunks(kept)]
    hidden = len(lines) - len(kept)
    if hidden:
        blocks.append(context(messages.LIST_MORE_ROWS.format(count=hidden)))
    return blocks


@render.register
def _channel_subscriptions(
    answer: ChannelSubscriptions, options: RenderOptions = DEFAULT_OPTIONS
) -> SlackMessage:
    heading = messages.SUBSCRIPTIONS_HEADING.format(channel=channel_mention(answer.channel_id))
    blocks: list[Block] = [section(escape(answer.headline))] if answer.headline else []
    blocks.append(context(heading))
    if answer.pause is not None:
        blocks.append(section(pause_line(answer.pause)))
    blocks += _subscription_blocks(answer.subscriptions)
    return SlackMessage(_fallback(answer.headline, answer.subscriptions), as_dicts(blocks))


def _fallback(headline: str | None, rows: Sequence[Subscription]) -> str:
    if headline:
        text = headline
    elif rows:
        names = ", ".join(category_label(row) for row in rows)
        text = f"{messages.VERB_SUBSCRIPTIONS[0].capitalize()}: {names}"
    else:
        text = messages.NO_SUBSCRIPTIONS
    return clip(escape(text), MESSAGE_TEXT)


@render.register
def _channel_status(
    answer: ChannelStatus, options: RenderOptions = DEFAULT_OPTIONS
) -> SlackMessage:
    heading = messages.STATUS_HEADING.format(channel=channel_mention(answer.channel_id))
    state = pause_line(answer.pause) if answer.pause else messages.STATUS_RUNNING
    blocks: list[Block] = [context(heading), section(state)]
    blocks += _subscription_blocks(answer.subscriptions, LIST_BUDGET // 2)
    rows = [
        messages.DELIVERY_ROW.format(
            title=escape(record.title),
            state=escape(record.state),
            date=short_date(record.updated_at),
        )
        for record in answer.deliveries
    ]
    if rows:
        lines = [messages.STATUS_DELIVERIES, *(f"• {row}" for row in rows)]
        blocks += listed(lines, LIST_BUDGET // 2)
    else:
        blocks.append(context(messages.STATUS_NO_DELIVERIES))
    blocks += failing_blocks(answer.failing_sources)
    return SlackMessage(clip(f"{heading}: {state}", MESSAGE_TEXT), as_dicts(blocks))


def home_section(answer: WorkspaceSubscriptions, room: int) -> list[Block]:
    """The App Home's list of subscribed channels, in at most ``room`` blocks."""
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=messages.HOME_SUBSCRIPTIONS_HEADING)]
    if not answer.channels:
        return [*blocks, section(messages.HOME_NO_SUBSCRIPTIONS)]
    pieces = _pieces([_home_line(channel) for channel in answer.channels])
    shown = pieces[: max(room - len(blocks) - 1, 1)]
    blocks += [section("\n".join(piece)) for piece in shown]
    hidden = len(answer.channels) - sum(len(piece) for piece in shown)
    if hidden > 0:
        blocks.append(context(messages.HOME_MORE_CHANNELS.format(count=hidden)))
    return blocks


def _home_line(channel: WorkspaceChannel) -> str:
    parts = [subscription_line(s) for s in channel.subscriptions]
    if channel.pause is not None:
        parts.insert(0, pause_line(channel.pause))
    parts += latest_lines(channel.latest)
    return messages.HOME_CHANNEL_ROW.format(
        channel=channel_mention(channel.channel_id), subscriptions="\n    ".join(parts)
    )


def _pieces(lines: list[str]) -> list[list[str]]:
    """Lines grouped so each group, joined, fits in one section."""
    pieces: list[list[str]] = []
    size = 0
    for line in (clip(line, SECTION_TEXT) for line in lines):
        if pieces and size + 1 + len(line) <= SECTION_TEXT:
            pieces[-1].append(line)
            size += 1 + len(line)
        else:
            pieces.append([line])
            size = len(line)
    return pieces


@render.register
def _digest(answer: DigestSummary, options: RenderOptions = DEFAULT_OPTIONS) -> SlackMessage:
    kind = describe_delivery(answer.schedule, answer.time_zone)
    count = len(answer.posts)
    title = messages.DIGEST_HEADING.format(
        kind=kind[:1].upper() + kind[1:], count=count, posts=messages.POST_COUNT_WORDS[count != 1]
    )
    period = messages.DIGEST_PERIOD.format(
        since=short_date(answer.since), until=short_date(answer.until)
    )
    blocks: list[Block] = [HeaderBlock(text=clip(title, HEADER_TEXT)), context(period)]
    rows = _digest_rows(answer.posts)
    blocks += rows
    hidden = len(answer.posts) - len(rows)
    if hidden > 0:
        blocks.append(context(messages.DIGEST_MORE.format(count=hidden)))
    blocks.append(context(messages.DIGEST_THREAD_HINT))
    titles = "; ".join(post.title for post in answer.posts[: len(rows)])
    return SlackMessage(clip(escape(f"{title}: {titles}"), MESSAGE_TEXT), as_dicts(blocks))


def _digest_rows(posts: Sequence[Post]) -> list[SectionBlock]:
    rows: list[SectionBlock] = []
    used = 0
    for post in posts[:DIGEST_ROWS]:
        row = post_row(post)
        size = len(row.text.text) if row.text else 0
        if used + size > LIST_BUDGET:
            break
        rows.append(row)
        used += size
    return rows

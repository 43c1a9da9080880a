"""Channel subscriptions: subscribe, unsubscribe, list, pause and resume, under the policy that
says who may change a channel."""

import difflib
from collections.abc import Sequence
from datetime import UTC, datetime

from bot import messages
from bot.news.answers import (
    Answer,
    ChannelStatus,
    ChannelSubscriptions,
    Notice,
    Problem,
    SubscribeForm,
    WorkspaceChannel,
    WorkspaceSubscriptions,
)
from bot.news.context import VerbContext, VerbSpec
from bot.news.delivery.schedule import time_zone
from bot.news.sources.verbs import sources_failing
from bot.news.subscriptions.arguments import (
    ArgumentError,
    SubscribeRequest,
    parse_category_names,
    parse_subscribe,
)
from bot.store import channels, subscriptions
from bot.store.posts import category_counts
from bot.store.schema import ALL_CATEGORIES
from bot.store.subscriptions import Subscription

RECENT_DELIVERIES = 5


async def known_categories(ctx: VerbContext) -> dict[str, str]:
    """Every category in use, by case-folded key."""
    async with ctx.store.sessions() as session:
        return {name.casefold(): name for name in await category_counts(session)}


async def refusal(ctx: VerbContext) -> Problem | None:
    """Why the asker may not change this channel, or ``None`` when they may. ``newsbot ask``
    without ``--channel`` is in no channel, and changes none."""
    if not ctx.asker.channel_id:
        return Problem(messages.NO_CHANNEL)
    policy = ctx.policy
    asker = ctx.asker
    people = None if asker.surface == "cli" else ctx.people
    if await policy.allows(people, asker.team_id, asker.user_id):
        return None
    return Problem(messages.REFUSED_ADMINS if policy.kind == "admins" else messages.REFUSED_USERS)


async def subscribe(ctx: VerbContext, args: str) -> Answer:
    """``subscribe CATEGORY[, …] [sentiment:>=N] [digest:…] [thread:on] [keywords…] [-words…]``.
    In Slack, the slash
    command with nothing after it opens the form instead (see ``subscribe_form``)."""
    known = await known_categories(ctx)
    try:
        request = parse_subscribe(args, known)
    except ArgumentError as error:
        return Problem(str(error))
    return await refusal(ctx) or await save_request(ctx, request)


async def subscribe_form(ctx: VerbContext) -> Answer:
    """The form for subscribing this channel, or why the asker may not."""
    denied = await refusal(ctx)
    if denied is not None:
        return denied
    known = await known_categories(ctx)
    return SubscribeForm(ctx.asker.channel_id, tuple(sorted(known.values())))


async def save_request(
    ctx: VerbContext, request: SubscribeRequest, now: datetime | None = None
) -> ChannelSubscriptions:
    """Subscribe the asker's channel as ``request`` says; the policy was checked already."""
    moment = now or datetime.now(UTC)
    asker = ctx.asker
    zone = await _time_zone(ctx) if request.digest else None
    next_at = request.digest.next_after(moment, time_zone(zone)) if request.digest else None
    rows = [
        Subscription(
            team_id=asker.team_id,
            channel_id=asker.channel_id,
            category_key=category.key,
            category_name=category.name,
            created_by=asker.user_id,
            created_at=moment,
            min_sentiment=request.min_sentiment,
            keywords=request.keywords,
            digest=str(request.digest) if request.digest else None,
            digest_tz=str(time_zone(zone)) if request.digest else None,
            digest_next_at=next_at,
            excluded=request.excluded,
            thread=request.thread,
        )
        for category in request.categories
    ]
    async with ctx.store.sessions() as session, session.begin():
        await subscriptions.save_subscriptions(session, rows)
    names = ", ".join(_shown_name(row) for row in rows)
    headline = f"{messages.SUBSCRIBED.format(categories=names)} {messages.SUBSCRIBED_INVITE}"
    return await _listing(ctx, headline)


async def _time_zone(ctx: VerbContext) -> str | None:
    if ctx.people is None or ctx.asker.surface == "cli":
        return None
    return await ctx.people.time_zone(ctx.asker.team_id, ctx.asker.user_id)


def _shown_name(subscription: Subscription) -> str:
    if subscription.category_key == ALL_CATEGORIES:
        return messages.ALL_CATEGORIES_NAME
    return subscription.category_name


async def unsubscribe(ctx: VerbContext, args: str) -> Answer:
    """``unsubscribe CATEGORY[, …]`` or ``unsubscribe all``."""
    names = parse_category_names(args)
    if not names:
        return Problem(messages.UNSUBSCRIBE_USAGE)
    denied = await refusal(ctx)
    if denied is not None:
        return denied
    asker = ctx.asker
    async with ctx.store.sessions() as session, session.begin():
        current = await subscriptions.channel_subscriptions(
            session, asker.team_id, asker.channel_id
        )
        wanted = _keys_to_remove(names, current)
        if isinstance(wanted, Problem):
            return wanted
        removed = await subscriptions.remove_subscriptions(
            session, asker.team_id, asker.channel_id, wanted
        )
    gone = ", ".join(_shown_name(row) for row in removed)
    return await _listing(ctx, messages.UNSUBSCRIBED.format(categories=gone))


def _keys_to_remove(names: list[str], current: Sequence[Subscription]) -> set[str] | Problem:
    """The category keys to drop; ``all`` means every one. A name the channel is not
    subscribed to is a Problem naming what it is subscribed to."""
    if any(name.casefold() == "all" for name in names):
        return {row.category_key for row in current} or _not_subscribed("all", current)
    by_name = {row.category_name.casefold(): row.category_key for row in current}
    keys = set()
    for name in names:
        if name.casefold() not in by_name:
            return _not_subscribed(name, current)
        keys.add(by_name[name.casefold()])
    return keys


def _not_subscribed(name: str, current: Sequence[Subscription]) -> Problem:
    shown = [_shown_name(row) for row in current]
    close = difflib.get_close_matches(name.casefold(), [s.casefold() for s in shown], n=1)
    if close:
        hint = messages.CATEGORY_SUGGESTION.format(
            suggestion=next(s for s in shown if s.casefold() == close[0])
        )
    elif shown:
        hint = messages.SUBSCRIBED_TO.format(names=", ".join(shown))
    else:
        hint = messages.NOTHING_SUBSCRIBED
    return Problem(messages.NOT_SUBSCRIBED.format(name=name, hint=hint))


async def list_subscriptions(ctx: VerbContext, _args: str) -> Answer:
    return await _listing(ctx)


async def _listing(ctx: VerbContext, headline: str | None = None) -> ChannelSubscriptions:
    asker = ctx.asker
    async with ctx.store.sessions() as session:
        rows = await subscriptions.channel_subscriptions(session, asker.team_id, asker.channel_id)
        pause = await channels.channel_pause(session, asker.team_id, asker.channel_id)
    return ChannelSubscriptions(asker.channel_id, tuple(rows), pause, headline)


async def pause(ctx: VerbContext, _args: str) -> Answer:
    denied = await refusal(ctx)
    if denied is not None:
        return denied
    asker = ctx.asker
    async with ctx.store.sessions() as session, session.begin():
        await channels.pause_channel(session, asker.team_id, asker.channel_id, None, asker.user_id)
    return Notice(messages.PAUSED_NOW)


async def resume(ctx: VerbContext, _args: str) -> Answer:
    denied = await refusal(ctx)
    if denied is not None:
        return denied
    asker = ctx.asker
    async with ctx.store.sessions() as session, session.begin():
        lifted = await channels.resume_channel(session, asker.team_id, asker.channel_id)
    if lifted is None:
        return Notice(messages.NOT_PAUSED)
    if lifted.by_failure:
        return Notice(messages.RESUMED_AFTER_FAILURE.format(reason=lifted.reason or "?"))
    return Notice(messages.RESUMED)


async def status(ctx: VerbContext, _args: str) -> Answer:
    asker = ctx.asker
    async with ctx.store.sessions() as session:
        rows = await subscriptions.channel_subscriptions(session, asker.team_id, asker.channel_id)
        pause = await channels.channel_pause(session, asker.team_id, asker.channel_id)
        recent = await channels.recent_deliveries(
            session, asker.team_id, asker.channel_id, RECENT_DELIVERIES
        )
        failing = await sources_failing(session)
    return ChannelStatus(asker.channel_id, tuple(rows), pause, tuple(recent), failing)


async def workspace_subscriptions(ctx: VerbContext) -> WorkspaceSubscriptions:
    """Every subscribed or paused channel in the asker's workspace, for the App Home."""
    async with ctx.store.sessions() as session:
        rows = await subscriptions.team_subscriptions(session, ctx.asker.team_id)
        pauses = await channels.team_pauses(session, ctx.asker.team_id)
    by_channel: dict[str, list[Subscription]] = {channel: [] for channel in pauses}
    for row in rows:
        by_channel.setdefault(row.channel_id, []).append(row)
    return WorkspaceSubscriptions(
        tuple(
            WorkspaceChannel(channel, tuple(subs), pauses.get(channel))
            for channel, subs in sorted(by_channel.items())
        )
    )


VERBS = (
    VerbSpec("subscribe", *messages.VERB_SUBSCRIBE, handler=subscribe),
    VerbSpec("unsubscribe", *messages.VERB_UNSUBSCRIBE, handler=unsubscribe),
    VerbSpec("subscriptions", *messages.VERB_SUBSCRIPTIONS, handler=list_subscriptions),
    VerbSpec("pause", *messages.VERB_PAUSE, handler=pause),
    VerbSpec("resume", *messages.VERB_RESUME, handler=resume),
    VerbSpec("status", *messages.VERB_STATUS, handler=status),
)

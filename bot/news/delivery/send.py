"""One turn of work on one channel: what to do (verify, post, update) and what came of it.

``choose`` decides from the channel's ledger rows; ``carry_out`` calls the publisher and turns
its answer, or its error, into ledger outcomes and the moment the channel is next due. That moment
counts from when the publisher answered, read from ``clock`` after the call: the call itself may
have lasted seconds (the Web API client waits out 429s before it gives up or succeeds), and a
channel's pacing or ``Retry-After`` counted from before it would already be over.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.news.publisher import (
    ChannelUnavailableError,
    MessageGoneError,
    Publisher,
    PublishError,
    RateLimitedError,
    UncertainOutcomeError,
    WorkspaceGoneError,
)
from bot.posts import Post
from bot.store.deliveries import (
    FAILED,
    OUTDATED,
    PENDING,
    SENDING,
    SENT,
    ChannelKey,
    Delivery,
    Outcome,
)

# The app may not read the channel's history at all (no channels:history / groups:history).
UNREADABLE_HISTORY = frozenset({"missing_scope", "not_allowed_token_type"})


@dataclass(frozen=True, slots=True)
class Pacing:
    """How often one channel is sent to, and how failures back off."""

    interval: timedelta = timedelta(seconds=1)
    group_limit: int = 20  # posts in one grouped message
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(minutes=10)
    # How far before a lost send's start its message is looked for: other replicas' clocks.
    clock_slack: timedelta = timedelta(minutes=1)
    give_up_verifying: timedelta = timedelta(hours=1)

    def after_failure(self, attempts: int) -> timedelta:
        grown: timedelta = self.backoff * 2 ** max(attempts - 1, 0)
        return min(grown, self.max_backoff)


@dataclass(frozen=True, slots=True)
class Verify:
    """Rows left ``sending`` by a replica that stopped: look for their message before resending."""

    channel: ChannelKey
    rows: tuple[Delivery, ...]


@dataclass(frozen=True, slots=True)
class Send:
    """New posts for the channel: one card, or one grouped message for a burst."""

    channel: ChannelKey
    rows: tuple[Delivery, ...]
    posts: tuple[Post, ...]

    @property
    def threaded(self) -> bool:
        return any(row.threaded for row in self.rows)


@dataclass(frozen=True, slots=True)
class Update:
    """A delivered message whose post was edited: every row that message holds."""

    channel: ChannelKey
    message_id: str
    rows: tuple[Delivery, ...]
    posts: tuple[Post, ...]

    @property
    def replies(self) -> dict[str, str]:
        """Thread mode: each post's card reply, to update beside the parent."""
        return {row.key.post_id: row.reply_ts for row in self.rows if row.reply_ts}


Action = Verify | Send | Update
Clock = Callable[[], datetime]


@dataclass
class Result:
    channel: ChannelKey
    outcomes: list[Outcome]
    next_due: datetime
    unavailable: str | None = None  # the reason, when the channel must be paused
    posted: int = field(default=0)
    workspace_gone: str | None = None  # the reason, when the workspace's token is dead


def _noting_gone(result: Result, error: PublishError) -> Result:
    """Mark the result when the error says the whole workspace is gone; the engine then
    forgets the workspace (multi-workspace mode) or treats it as any refusal (single)."""
    if isinstance(error, WorkspaceGoneError):
        result.workspace_gone = error.reason
    return result


def log_ids(channel: ChannelKey, rows: Sequence[Delivery] = ()) -> dict[str, str]:
    """The ids a log line about this channel (and these rows) carries: ``extra=log_ids(…)``."""
    ids = {"team": channel.team_id, "channel": channel.channel_id}
    return ids | ({"post_id": " ".join(row.key.post_id for row in rows)} if rows else {})


def choose(rows: Sequence[Delivery], group_limit: int) -> tuple[str, list[Delivery]]:
    """What one turn does with a channel's outstanding rows (oldest first): leftover sends are
    verified first, then new posts are sent, then edited ones updated. New posts planned for
    thread mode and those that are not go out in separate turns."""
    for state in (SENDING, PENDING, OUTDATED):
        chosen = [row for row in rows if row.state == state]
        if state == PENDING and chosen:
            alike = [row for row in chosen if row.threaded == chosen[0].threaded]
            return state, alike[:group_limit]
        if chosen:
            return state, chosen
    return "", []


async def carry_out(action: Action, publisher: Publisher, pacing: Pacing, clock: Clock) -> Result:
    if isinstance(action, Verify):
        return await _verify(action, publisher, pacing, clock)
    if isinstance(action, Send):
        return await _send(action, publisher, pacing, clock)
    return await _update(action, publisher, pacing, clock)


async def _send(action: Send, publisher: Publisher, pacing: Pacing, clock: Clock) -> Result:
    if action.threaded:
        return await _send_thread(action, publisher, pacing, clock)
    try:
        if len(action.posts) == 1:
            message_id = await publisher.post_card(action.channel, action.posts[0])
        else:
            message_id = await publisher.post_group(action.channel, action.posts)
    except PublishError as error:
        return _noting_gone(_send_failed(action, error, pacing, clock()), error)
    now = clock()
    hashes = {post.id: post.content_hash for post in action.posts}
    outcomes = [
        Outcome(row.key, SENT, message_id, hashes.get(row.key.post_id)) for row in action.rows
    ]
    return Result(action.channel, outcomes, now + pacing.interval, posted=1)


async def _send_thread(action: Send, publisher: Publisher, pacing: Pacing, clock: Clock) -> Result:
    try:
        posted = await publisher.post_thread(action.channel, action.posts)
    except PublishError as error:
        return _noting_gone(_send_failed(action, error, pacing, clock()), error)
    now = clock()
    hashes = {post.id: post.content_hash for post in action.posts}
    outcomes = [
        Outcome(
            row.key,
            SENT,
            posted.message_id,
            hashes.get(row.key.post_id),
            None if row.key.post_id in posted.replies else posted.error,
            posted.replies.get(row.key.post_id),
        )
        for row in action.rows
    ]
    return Result(action.channel, outcomes, now + pacing.interval, posted=1)


def _send_failed(action: Send, error: PublishError, pacing: Pacing, now: datetime) -> Result:
    if isinstance(error, UncertainOutcomeError):
        # Keep the rows ``sending``: the next turn looks for the message before sending again.
        outcomes = [Outcome(row.key, SENDING, error=error.reason) for row in action.rows]
        return Result(action.channel, outcomes, now + pacing.interval)
    if isinstance(error, RateLimitedError | ChannelUnavailableError):
        return _held_back(action.channel, action.rows, PENDING, error, pacing, now)
    attempts = max(row.attempts for row in action.rows) + 1
    state = FAILED if attempts >= pacing.max_attempts else PENDING
    outcomes = [Outcome(row.key, state, error=error.reason) for row in action.rows]
    return Result(action.channel, outcomes, now + pacing.after_failure(attempts))


def _held_back(
    channel: ChannelKey,
    rows: Sequence[Delivery],
    state: str,
    error: PublishError,
    pacing: Pacing,
    now: datetime,
) -> Result:
    """Nothing was posted and the rows wait: out a rate limit, or for the channel's resumption."""
    outcomes = [Outcome(row.key, state, error=error.reason) for row in rows]
    if isinstance(error, RateLimitedError):
        wait = max(timedelta(seconds=error.retry_after), pacing.interval)
        return Result(channel, outcomes, now + wait)
    # The channel is paused next, and paused channels are passed over until resumed.
    return Result(channel, outcomes, now + pacing.interval, unavailable=error.reason)


async def _verify(action: Verify, publisher: Publisher, pacing: Pacing, clock: Clock) -> Result:
    started = clock()
    starts = [row.sending_since or started for row in action.rows]
    since = min(starts) - pacing.clock_slack
    post_ids = [row.key.post_id for row in action.rows]
    try:
        found = await publisher.find_delivered(action.channel, post_ids, since)
    except PublishError as error:
        now = clock()
        return _noting_gone(_unverified(action, error, now - min(starts), pacing, now), error)
    outcomes = [_verified(row, found) for row in action.rows]
    return Result(action.channel, outcomes, clock())


def _unverified(
    action: Verify, error: PublishError, waited: timedelta, pacing: Pacing, now: datetime
) -> Result:
    """The history cannot be read (e.g. ``not_in_channel``: the bot posts to a public channel
    it is not a member of). Sending again could double the post, so the rows stay ``sending``
    and the lookup is retried with backoff; after ``give_up_verifying`` they are marked
    ``failed`` with the reason, which ``/news status`` shows. The channel is not paused for
    this: posting there may still work."""
    reason = f"{error.reason} (checking whether it was delivered)"
    # Without the history scopes the lookup can never succeed: at most once, at once.
    if waited >= pacing.give_up_verifying or error.reason in UNREADABLE_HISTORY:
        outcomes = [Outcome(row.key, FAILED, error=reason) for row in action.rows]
        return Result(action.channel, outcomes, now)
    outcomes = [Outcome(row.key, SENDING, error=reason) for row in action.rows]
    steps = int(waited / pacing.backoff) if pacing.backoff else 0
    return Result(action.channel, outcomes, now + pacing.after_failure(max(steps, 1)))


def _verified(row: Delivery, found: Mapping[str, str]) -> Outcome:
    message_id = found.get(row.key.post_id)
    if message_id is None:
        return Outcome(row.key, PENDING)
    # The hash written when the send began is what that message shows.
    return Outcome(row.key, SENT, message_id, row.content_hash)


async def _update(action: Update, publisher: Publisher, pacing: Pacing, clock: Clock) -> Result:
    try:
        if action.replies or any(row.threaded for row in action.rows):
            await publisher.update_thread(
                action.channel, action.message_id, action.posts, action.replies
            )
        elif len(action.rows) == 1 and len(action.posts) == 1:
            await publisher.update_card(action.channel, action.message_id, action.posts[0])
        else:
            await publisher.update_group(action.channel, action.message_id, action.posts)
    except (RateLimitedError, ChannelUnavailableError, UncertainOutcomeError) as error:
        if isinstance(error, UncertainOutcomeError):
            error = RateLimitedError(error.reason, pacing.backoff.total_seconds())
        return _held_back(action.channel, _outdated(action), OUTDATED, error, pacing, clock())
    except (MessageGoneError, PublishError) as error:
        # The message cannot be changed: keep it as delivered rather than post it again.
        result = Result(action.channel, _updated(action, error.reason), clock() + pacing.interval)
        return _noting_gone(result, error)
    return Result(action.channel, _updated(action, None), clock() + pacing.interval, posted=1)


def _outdated(action: Update) -> list[Delivery]:
    return [row for row in action.rows if row.state == OUTDATED]


def _updated(action: Update, error: str | None) -> list[Outcome]:
    hashes = {post.id: post.content_hash for post in action.posts}
    return [Outcome(row.key, SENT, None, hashes.get(row.key.post_id), error) for row in action.rows]

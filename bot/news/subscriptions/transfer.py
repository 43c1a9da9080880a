"""Every channel's subscriptions as one versioned JSON document, and back:
``newsbot subscriptions export`` and ``newsbot subscriptions import``.

The document holds each channel's subscriptions (categories, filters, thread mode, digest
schedules and where they stand) and its pause. Importing it again changes nothing: a
subscription or pause that is already as the file says is left alone and counted as unchanged.
Import adds and changes, never removes. A file is checked whole before anything is written, and
written in one transaction, so a file that is refused leaves the store as it was. The posts already
in the store count as seen: the imported channels keep their old subscription dates, and would
otherwise get the whole archive as news.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot import messages
from bot.store import Session, Store
from bot.store.channels import ChannelPause, channel_pause, every_pause, pause_channel
from bot.store.delivery_plans import mark_new_posts_planned
from bot.store.subscriptions import Subscription, every_subscription, save_subscriptions

FORMAT: Final = "newsbot-subscriptions"
VERSION: Final = 1


class TransferError(ValueError):
    """The file cannot be imported; the message says why, in one sentence."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PauseEntry(_Strict):
    at: datetime
    by: str | None = None  # the person who paused it; None when a failure did
    reason: str | None = None


class SubscriptionEntry(_Strict):
    category_key: str
    category_name: str
    created_by: str | None = None
    created_at: datetime
    min_sentiment: float | None = None
    keywords: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    thread: bool = False
    digest: str | None = None
    digest_tz: str | None = None
    digest_next_at: datetime | None = None
    digest_last_at: datetime | None = None


class ChannelEntry(_Strict):
    team_id: str
    channel_id: str
    paused: PauseEntry | None = None
    subscriptions: tuple[SubscriptionEntry, ...] = ()


class Document(_Strict):
    format: Literal["newsbot-subscriptions"]
    version: Literal[1]
    exported_at: datetime
    channels: tuple[ChannelEntry, ...] = ()


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


async def export_subscriptions(store: Store, team_id: str | None = None) -> str:
    """The document, as JSON text: every workspace's channels, or ``team_id``'s."""
    async with store.sessions() as session:
        subscriptions = await every_subscription(session, team_id)
        pauses = await every_pause(session, team_id)
    channels: dict[tuple[str, str], ChannelEntry] = {}
    for pause in pauses:
        channels[(pause.team_id, pause.channel_id)] = _channel_entry(pause)
    for subscription in subscriptions:
        key = (subscription.team_id, subscription.channel_id)
        entry = channels.get(key) or ChannelEntry(team_id=key[0], channel_id=key[1])
        listed = (*entry.subscriptions, _subscription_entry(subscription))
        channels[key] = entry.model_copy(update={"subscriptions": listed})
    document = Document(
        format=FORMAT,
        version=VERSION,
        exported_at=datetime.now(UTC),
        channels=tuple(channels[key] for key in sorted(channels)),
    )
    return document.model_dump_json(indent=2)


def _channel_entry(pause: ChannelPause) -> ChannelEntry:
    paused = PauseEntry(at=pause.paused_at, by=pause.paused_by, reason=pause.reason)
    return ChannelEntry(team_id=pause.team_id, channel_id=pause.channel_id, paused=paused)


def _subscription_entry(subscription: Subscription) -> SubscriptionEntry:
    fields = {name: getattr(subscription, name) for name in SubscriptionEntry.model_fields}
    return SubscriptionEntry(**fields)


def read_document(text: str, file_name: str) -> Document:
    """The document in ``text``, or a ``TransferError`` saying in one sentence what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise TransferError(messages.IMPORT_NOT_JSON.format(file=file_name, error=error)) from error
    _check_version(data, file_name)
    try:
        return Document.model_validate(data)
    except ValidationError as error:
        problem = _first_problem(error)
        raise TransferError(
            messages.IMPORT_NOT_EXPORT.format(file=file_name, problem=problem)
        ) from error


def _check_version(data: Any, file_name: str) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        problem = f'it has no "format": "{FORMAT}" at the top.'
        raise TransferError(messages.IMPORT_NOT_EXPORT.format(file=file_name, problem=problem))
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise TransferError(
            messages.IMPORT_TOO_NEW.format(file=file_name, version=version, supported=VERSION)
        )


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the document"
    return f"{where}: {first['msg']}."


async def import_subscriptions(store: Store, document: Document) -> ImportReport:
    """Make the store hold what the document says, in one transaction."""
    report = ImportReport()
    async with store.sessions() as session, session.begin():
        existing = {_key(s): s for s in await every_subscription(session, None)}
        wanted = [
            _subscription(channel, entry)
            for channel in document.channels
            for entry in channel.subscriptions
        ]
        changed = [s for s in wanted if existing.get(_key(s)) != s]
        for subscription in wanted:
            _count(report, existing.get(_key(subscription)), subscription)
        await save_subscriptions(session, changed)
        for channel in document.channels:
            if channel.paused is not None:
                await _restore_pause(session, channel, channel.paused, report)
        await mark_new_posts_planned(session, datetime.now(UTC))
    return report


def _key(subscription: Subscription) -> tuple[str, str, str]:
    return subscription.team_id, subscription.channel_id, subscription.category_key


def _subscription(channel: ChannelEntry, entry: SubscriptionEntry) -> Subscription:
    return Subscription(team_id=channel.team_id, channel_id=channel.channel_id, **dict(entry))


def _count(report: ImportReport, before: object, after: object) -> None:
    if before is None:
        report.added += 1
    elif before != after:
        report.changed += 1
    else:
        report.unchanged += 1


async def _restore_pause(
    session: Session, channel: ChannelEntry, paused: PauseEntry, report: ImportReport
) -> None:
    current = await channel_pause(session, channel.team_id, channel.channel_id)
    wanted = ChannelPause(channel.team_id, channel.channel_id, paused.at, paused.by, paused.reason)
    _count(report, current, wanted)
    if current != wanted:
        await pause_channel(
            session, channel.team_id, channel.channel_id, paused.reason, paused.by, paused.at
        )

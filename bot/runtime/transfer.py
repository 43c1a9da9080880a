"""``newsbot subscriptions export [--team T]`` and ``newsbot subscriptions import FILE``."""

import argparse
import asyncio
import sys
from pathlib import Path

from bot import messages
from bot.news.subscriptions.transfer import (
    TransferError,
    export_subscriptions,
    import_subscriptions,
    read_document,
)
from bot.runtime.settings import Settings
from bot.store import open_store


async def run_subscriptions(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "export":
        return await _export(args.team, settings)
    return await _import(args.file, settings)


async def _export(team_id: str | None, settings: Settings) -> int:
    store = await open_store(settings.database_url)
    try:
        print(await export_subscriptions(store, team_id))
    finally:
        await store.close()
    return 0


async def _import(path: Path, settings: Settings) -> int:
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        document = read_document(text, str(path))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(messages.IMPORT_UNREADABLE.format(file=path, error=reason), file=sys.stderr)
        return 1
    except TransferError as error:
        print(error, file=sys.stderr)
        return 1
    store = await open_store(settings.database_url)
    try:
        report = await import_subscriptions(store, document)
    finally:
        await store.close()
    print(messages.IMPORT_DONE.format(file=path, **vars(report)))
    return 0

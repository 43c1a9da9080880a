"""``newsbot sources add|list|remove|sync``: the operator's commands for git repositories and
web feeds."""

import argparse
import sys
from datetime import datetime, timedelta

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.news.sources import manage
from bot.news.sources.git import shown_url
from bot.news.sources.runner import Busy, RunnerSettings, SourceRunner
from bot.news.sources.sync import SourcePlaces, SyncResult
from bot.news.sources.verbs import health, health_text
from bot.runtime import console
from bot.runtime.feed_http import fetch_document
from bot.runtime.settings import Settings
from bot.store import Store, open_store
from bot.store.sources import Source


def places(settings: Settings) -> SourcePlaces:
    return SourcePlaces(settings.sources_dir.absolute())


def source_runner(store: Store, gate: IngestGate, settings: Settings) -> SourceRunner:
    interval = timedelta(seconds=settings.source_interval)
    return SourceRunner(store, gate, places(settings), fetch_document, RunnerSettings(interval))


async def run_sources(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings.database_url)
    try:
        return await _ACTIONS[args.action](args, settings, store)
    except manage.SourceInputError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        await store.close()


async def _add(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    if args.kind == "git":
        source = await manage.add_git(store, args.url, args.branch, args.path)
    else:
        source = await manage.add_feed(store, args.url, args.category)
    print(messages.SOURCE_ADDED.format(id=source.id, kind=source.kind, url=shown_url(source.url)))
    return 0


async def _list(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    sources = await manage.list_sources(store)
    if not sources:
        print(messages.SOURCES_NONE)
    else:
        for line in console.columns([messages.SOURCE_LIST_HEADER, *map(_cells, sources)]):
            print(line)
    print(messages.SOURCES_POSTS_DIR.format(path=settings.posts_dir))
    return 0


def _cells(source: Source) -> tuple[str, ...]:
    shown = health(source)
    fetched = source.last_fetch_at
    return (
        str(source.id),
        source.kind,
        shown.url,
        _moment(fetched) if fetched else messages.SOURCE_NEVER_FETCHED,
        str(source.posts),
        health_text(shown, _moment),
    )


def _moment(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


async def _remove(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    source = await manage.remove(store, places(settings), args.id)
    url = shown_url(source.url)
    print(messages.SOURCE_REMOVED.format(id=source.id, kind=source.kind, url=url))
    return 0


async def _sync(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    if args.id is not None and not any(s.id == args.id for s in await manage.list_sources(store)):
        raise manage.SourceInputError(messages.SOURCE_NOT_FOUND.format(id=args.id))
    runner = source_runner(store, IngestGate(store), settings)
    runner.log_outcomes = False  # printed below, one line each
    results = await runner.sync_now([args.id] if args.id is not None else None)
    if not results:
        print(messages.SOURCES_NONE)
    failed = False
    for result in results:
        for line in sync_lines(result):
            print(line)
        failed |= isinstance(result, SyncResult) and result.fetched.error is not None
    return 1 if failed else 0


def sync_lines(result: SyncResult | Busy) -> list[str]:
    if isinstance(result, Busy):
        return [messages.SOURCE_BUSY.format(id=result.source_id)]
    source = result.source
    named = {"id": source.id, "kind": source.kind, "url": shown_url(source.url)}
    if result.fetched.error is not None:
        return [messages.SOURCE_SYNC_FAILED.format(**named, error=result.fetched.error)]
    problems = [
        messages.SOURCE_SYNC_PROBLEM.format(id=source.id, problem=p) for p in result.problems
    ]
    report = result.report
    if report is None:
        return [messages.SOURCE_NOT_MODIFIED.format(**named)]
    counts = {"new": report.new, "updated": report.updated, "unchanged": report.unchanged}
    return [*problems, messages.SOURCE_SYNCED.format(**named, **counts)]


_ACTIONS = {"add": _add, "list": _list, "remove": _remove, "sync": _sync}

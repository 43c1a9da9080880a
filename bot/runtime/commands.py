"""What each ``newsbot`` command does, wired to settings, the store and the console."""

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot import messages
from bot.news.ingest.scan import ingest
from bot.posts.aliases import use_aliases
from bot.runtime import ask, console, serve, source_commands, transfer, workspaces
from bot.runtime.settings import Settings, SettingsError, load_settings
from bot.store import StoreError, migrations, open_store
from bot.store.database import create_engine, database_errors, shown_url
from bot.store.posts import category_counts, latest_posts

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


async def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [settings.posts_dir]
    store = await open_store(settings.database_url)
    try:
        with console.ProgressBar() as progress:
            report = await ingest(store, paths, progress)
    finally:
        await store.close()
    for line in console.report_lines(report, paths):
        print(line)
    return 1 if report.rejected else 0


async def run_latest(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings.database_url)
    try:
        async with store.sessions() as session:
            posts = await latest_posts(session, args.limit, args.category)
            counts = await category_counts(session) if not posts else {}
    finally:
        await store.close()
    for post in posts:
        print(console.post_line(post))
    if not posts:
        print(_empty_listing(args.category, counts, settings))
    return 0


def _empty_listing(category: str | None, counts: dict[str, int], settings: Settings) -> str:
    if category is None or not counts:
        return messages.LATEST_EMPTY.format(posts_dir=settings.posts_dir)
    return messages.LATEST_EMPTY_CATEGORY.format(category=category, known=", ".join(counts))


async def run_db(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        with database_errors(engine):
            if args.action == "upgrade":
                await migrations.upgrade(engine, args.revision)
            elif args.action == "downgrade":
                await migrations.downgrade(engine, args.revision)
            revision = await migrations.current_revision(engine)
    finally:
        await engine.dispose()
    template = messages.DB_UPGRADED if args.action == "upgrade" else messages.DB_AT
    print(template.format(url=shown_url(engine), revision=revision or "empty"))
    return 0


HANDLERS: dict[str, Handler] = {
    "ingest": run_ingest,
    "latest": run_latest,
    "db": run_db,
    "ask": ask.run_ask,
    "preview": ask.run_preview,
    "serve": serve.run_serve,
    "sources": source_commands.run_sources,
    "subscriptions": transfer.run_subscriptions,
    "workspaces": workspaces.run_workspaces,
}


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        use_aliases(settings.aliases)  # before any post is read, here or in a worker process
        return asyncio.run(HANDLERS[args.handler](args, settings))
    except (StoreError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 2

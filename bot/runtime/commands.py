"""What each ``newsbot`` command does, wired to settings, the store and the console."""

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot import messages
from bot.news.answers import Problem
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import ingest
from bot.news.search.browse import resolve_category
from bot.posts.aliases import use_aliases
from bot.runtime import ask, console, database, serve, source_commands, transfer, workspaces
from bot.runtime.settings import Settings, SettingsError, load_settings
from bot.store import DatabaseError, Session, StoreError, open_store
from bot.store.database import store_error
from bot.store.posts import category_counts, latest_posts

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


async def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [settings.posts_dir]
    store = await open_store(settings.database_url)
    try:
        # Another ingest (here or in `serve`) reading the same new files would count them too.
        async with IngestGate(store).turn(wait=True):
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
            lines = await _latest_lines(session, args.limit, args.category)
    finally:
        await store.close()
    print("\n".join(lines) or messages.LATEST_EMPTY.format(posts_dir=settings.posts_dir))
    return 0


async def _latest_lines(session: Session, limit: int, wanted: str | None) -> list[str]:
    """A line for each of the newest posts; for a category that is not known, the answer Slack
    gives (with the closest name); none when there are no posts at all."""
    category = await resolve_category(session, wanted) if wanted else None
    if isinstance(category, Problem):
        return [category.text] if await category_counts(session) else []
    return [console.post_line(post) for post in await latest_posts(session, limit, category)]


HANDLERS: dict[str, Handler] = {
    "ingest": run_ingest,
    "latest": run_latest,
    "db": database.run_db,
    "ask": ask.run_ask,
    "preview": ask.run_preview,
    "serve": serve.run_serve,
    "sources": source_commands.run_sources,
    "subscriptions": transfer.run_subscriptions,
    "workspaces": workspaces.run_workspaces,
}


# The status a command killed by SIGPIPE would have, as `yes | head` reports it.
BROKEN_PIPE_STATUS = 128 + signal.SIGPIPE


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        use_aliases(settings.aliases)  # before any post is read, here or in a worker process
        status = asyncio.run(HANDLERS[args.handler](args, settings))
        sys.stdout.flush()  # here, where a reader that went away can still be noticed
    except (StoreError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 2
    except DatabaseError as error:  # a query failed: the database is damaged, or went away
        print(store_error(settings.database_url, error), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Whoever read the output stopped (`newsbot latest | head -2`): that is no error to
        # report. Standard output now leads nowhere, so the flush at exit stays quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_STATUS
    return status

"""The ``newsbot`` command: argument parsing and wiring, nothing else."""

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot import __version__, console, messages
from bot.config import Settings
from bot.news.ingest import ingest
from bot.store import Store, StoreError, migrations, open_store
from bot.store.database import create_engine, database_errors, shown_url
from bot.store.posts import category_counts, latest_posts

Handler = Callable[[argparse.Namespace, Settings], Awaitable[int]]


async def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [settings.posts_dir]
    store = await open_store(settings.database_url)
    try:
        with console.ProgressBar() as progress:
            report = await ingest(store, paths, progress)
    finally:
        await store.close()
    for line in console.report_lines(report):
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsbot", description=messages.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=messages.HELP_VERBOSE)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest_cmd = commands.add_parser("ingest", help=messages.HELP_INGEST)
    ingest_cmd.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ingest_cmd.set_defaults(handler=run_ingest)

    latest_cmd = commands.add_parser("latest", help=messages.HELP_LATEST)
    latest_cmd.add_argument("-n", "--limit", type=_positive, default=10)
    latest_cmd.add_argument("-c", "--category")
    latest_cmd.set_defaults(handler=run_latest)

    db_cmd = commands.add_parser("db", help=messages.HELP_DB)
    db_actions = db_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_actions.add_parser("upgrade", help=messages.HELP_DB_UPGRADE).add_argument(
        "revision", nargs="?", default="head"
    )
    db_actions.add_parser("downgrade", help=messages.HELP_DB_DOWNGRADE).add_argument("revision")
    db_actions.add_parser("current", help=messages.HELP_DB_CURRENT)
    db_cmd.set_defaults(handler=run_db)
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.NOT_A_POSITIVE_NUMBER.format(value=text))
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.handler
    try:
        return asyncio.run(handler(args, Settings()))
    except StoreError as error:
        print(error, file=sys.stderr)
        return 2

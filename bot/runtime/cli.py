"""The ``newsbot`` command line: arguments only; ``bot.runtime.commands`` does the work."""

import argparse
from collections.abc import Sequence
from pathlib import Path

from bot import __version__, messages


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsbot", description=messages.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=messages.HELP_VERBOSE)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest_cmd = commands.add_parser("ingest", help=messages.HELP_INGEST)
    ingest_cmd.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ingest_cmd.set_defaults(handler="ingest")

    latest_cmd = commands.add_parser("latest", help=messages.HELP_LATEST)
    latest_cmd.add_argument("-n", "--limit", type=_positive, default=10)
    latest_cmd.add_argument("-c", "--category")
    latest_cmd.set_defaults(handler="latest")

    ask_cmd = commands.add_parser("ask", help=messages.HELP_ASK)
    ask_cmd.add_argument("text", metavar="TEXT")
    ask_cmd.add_argument("--json", action="store_true", help=messages.HELP_JSON)
    ask_cmd.set_defaults(handler="ask")

    preview_cmd = commands.add_parser("preview", help=messages.HELP_PREVIEW)
    preview_cmd.add_argument("files", type=Path, metavar="FILE", nargs="+")
    preview_cmd.add_argument("--json", action="store_true", help=messages.HELP_PREVIEW_JSON)
    preview_cmd.add_argument("--full", action="store_true", help=messages.HELP_FULL)
    preview_cmd.set_defaults(handler="preview")

    serve_cmd = commands.add_parser("serve", help=messages.HELP_SERVE)
    serve_cmd.add_argument("--socket", action="store_true", help=messages.HELP_SOCKET)
    serve_cmd.add_argument("--host", default="127.0.0.1", help=messages.HELP_HOST)
    serve_cmd.set_defaults(handler="serve")

    _sources_parser(commands)

    db_cmd = commands.add_parser("db", help=messages.HELP_DB)
    db_actions = db_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_actions.add_parser("upgrade", help=messages.HELP_DB_UPGRADE).add_argument(
        "revision", nargs="?", default="head"
    )
    db_actions.add_parser("downgrade", help=messages.HELP_DB_DOWNGRADE).add_argument("revision")
    db_actions.add_parser("current", help=messages.HELP_DB_CURRENT)
    db_cmd.set_defaults(handler="db")
    _subscriptions_parser(commands)

    workspaces_cmd = commands.add_parser("workspaces", help=messages.HELP_WORKSPACES)
    workspace_actions = workspaces_cmd.add_subparsers(dest="action", metavar="ACTION")
    workspace_actions.add_parser("remove", help=messages.HELP_WORKSPACES_REMOVE).add_argument(
        "team", metavar="TEAM"
    )
    workspaces_cmd.set_defaults(handler="workspaces")
    return parser


def _sources_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sources_cmd = commands.add_parser("sources", help=messages.HELP_SOURCES)
    sources_cmd.set_defaults(handler="sources")
    actions = sources_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_cmd = actions.add_parser("add", help=messages.HELP_SOURCES_ADD)
    kinds = add_cmd.add_subparsers(dest="kind", required=True, metavar="KIND")
    git_cmd = kinds.add_parser("git", help=messages.HELP_SOURCES_ADD)
    git_cmd.add_argument("url", metavar="URL")
    git_cmd.add_argument("--branch", metavar="B", help=messages.HELP_SOURCE_BRANCH)
    git_cmd.add_argument("--path", metavar="P", help=messages.HELP_SOURCE_PATH)
    feed_cmd = kinds.add_parser("feed", help=messages.HELP_SOURCES_ADD)
    feed_cmd.add_argument("url", metavar="URL")
    feed_cmd.add_argument("--category", metavar="NAME", help=messages.HELP_SOURCE_CATEGORY)
    actions.add_parser("list", help=messages.HELP_SOURCES_LIST)
    remove_cmd = actions.add_parser("remove", help=messages.HELP_SOURCES_REMOVE)
    remove_cmd.add_argument("id", type=_source_id, metavar="ID")
    sync_cmd = actions.add_parser("sync", help=messages.HELP_SOURCES_SYNC)
    sync_cmd.add_argument("id", type=_source_id, nargs="?", metavar="ID")


def _source_id(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(messages.SOURCE_BAD_ID.format(value=text))
    return int(text)


def _subscriptions_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    subs_cmd = commands.add_parser("subscriptions", help=messages.HELP_SUBSCRIPTIONS)
    actions = subs_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help=messages.HELP_SUBSCRIPTIONS_EXPORT)
    export.add_argument("--team", metavar="T", help=messages.HELP_TEAM)
    restore = actions.add_parser("import", help=messages.HELP_SUBSCRIPTIONS_IMPORT)
    restore.add_argument("file", type=Path, metavar="FILE")
    subs_cmd.set_defaults(handler="subscriptions")


def _positive(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.NOT_A_POSITIVE_NUMBER.format(value=text))
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Imported only now: ingestion's spawned worker processes import the main module again,
    # and they (like `newsbot --help`) should not pay for SQLAlchemy and the rest.
    from bot.runtime import commands, logs

    logs.setup(args.command, args.verbose)
    return commands.run(args)

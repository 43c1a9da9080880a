"""The ``newsbot`` command line: arguments only; ``bot.runtime.commands`` does the work."""

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from bot import __version__, messages


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsbot", description=messages.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=messages.HELP_VERBOSE)
    # Without a command (or `db` without an action) there is no handler: the help is shown.
    parser.set_defaults(handler=None, usage_of=parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_ingest, _latest, _ask, _preview, _serve, _sources, _db, _subscriptions):
        add(commands)
    _workspaces(commands)
    return parser


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _ingest(commands: Commands) -> None:
    ingest_cmd = commands.add_parser("ingest", help=messages.HELP_INGEST)
    ingest_cmd.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help=messages.HELP_INGEST_PATHS
    )
    ingest_cmd.set_defaults(handler="ingest")


def _latest(commands: Commands) -> None:
    latest_cmd = commands.add_parser("latest", help=messages.HELP_LATEST)
    latest_cmd.add_argument(
        "-n", "--limit", type=_positive, default=10, help=messages.HELP_LATEST_LIMIT
    )
    latest_cmd.add_argument("-c", "--category", help=messages.HELP_LATEST_CATEGORY)
    latest_cmd.set_defaults(handler="latest")


def _ask(commands: Commands) -> None:
    ask_cmd = commands.add_parser("ask", help=messages.HELP_ASK)
    ask_cmd.add_argument("text", metavar="TEXT", help=messages.HELP_ASK_TEXT)
    ask_cmd.add_argument("--json", action="store_true", help=messages.HELP_JSON)
    ask_cmd.add_argument("--channel", type=_slack_id("channel", "CDG"), help=messages.HELP_CHANNEL)
    ask_cmd.add_argument("--team", type=_slack_id("team", "T"), help=messages.HELP_ASK_TEAM)
    ask_cmd.set_defaults(handler="ask")


def _preview(commands: Commands) -> None:
    preview_cmd = commands.add_parser("preview", help=messages.HELP_PREVIEW)
    preview_cmd.add_argument(
        "files", type=Path, metavar="FILE", nargs="+", help=messages.HELP_PREVIEW_FILES
    )
    preview_cmd.add_argument("--json", action="store_true", help=messages.HELP_PREVIEW_JSON)
    preview_cmd.add_argument("--full", action="store_true", help=messages.HELP_FULL)
    preview_cmd.set_defaults(handler="preview")


def _serve(commands: Commands) -> None:
    serve_cmd = commands.add_parser(
        "serve",
        help=messages.HELP_SERVE,
        epilog=messages.SERVE_SETTINGS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve_cmd.add_argument("--socket", action="store_true", help=messages.HELP_SOCKET)
    serve_cmd.add_argument("--host", default="127.0.0.1", help=messages.HELP_HOST)
    serve_cmd.set_defaults(handler="serve")


def _db(commands: Commands) -> None:
    db_cmd = commands.add_parser("db", help=messages.HELP_DB)
    db_cmd.set_defaults(usage_of=db_cmd)
    actions = db_cmd.add_subparsers(dest="action", metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help=messages.HELP_DB_UPGRADE)
    upgrade.add_argument("revision", nargs="?", default="head", help=messages.HELP_DB_TO)
    downgrade = actions.add_parser("downgrade", help=messages.HELP_DB_DOWNGRADE)
    downgrade.add_argument("revision", help=messages.HELP_DB_BACK_TO)
    current = actions.add_parser("current", help=messages.HELP_DB_CURRENT)
    check = actions.add_parser("check", help=messages.HELP_DB_CHECK)
    for action in (upgrade, downgrade, current, check):
        action.set_defaults(handler="db")


def _sources(commands: Commands) -> None:
    sources_cmd = commands.add_parser("sources", help=messages.HELP_SOURCES)
    sources_cmd.set_defaults(usage_of=sources_cmd)
    actions = sources_cmd.add_subparsers(dest="action", metavar="ACTION")
    add_cmd = actions.add_parser("add", help=messages.HELP_SOURCES_ADD)
    add_cmd.set_defaults(usage_of=add_cmd)
    kinds = add_cmd.add_subparsers(dest="kind", metavar="KIND")
    git_cmd = kinds.add_parser("git", help=messages.HELP_SOURCES_ADD)
    git_cmd.add_argument("url", metavar="URL", help=messages.HELP_SOURCE_GIT_URL)
    git_cmd.add_argument("--branch", metavar="B", help=messages.HELP_SOURCE_BRANCH)
    git_cmd.add_argument("--path", metavar="P", help=messages.HELP_SOURCE_PATH)
    feed_cmd = kinds.add_parser("feed", help=messages.HELP_SOURCES_ADD)
    feed_cmd.add_argument("url", metavar="URL", help=messages.HELP_SOURCE_FEED_URL)
    feed_cmd.add_argument("--category", metavar="NAME", help=messages.HELP_SOURCE_CATEGORY)
    list_cmd = actions.add_parser("list", help=messages.HELP_SOURCES_LIST)
    remove_cmd = actions.add_parser("remove", help=messages.HELP_SOURCES_REMOVE)
    remove_cmd.add_argument("id", type=_source_id, metavar="ID", help=messages.HELP_SOURCE_ID)
    sync_cmd = actions.add_parser("sync", help=messages.HELP_SOURCES_SYNC)
    sync_cmd.add_argument(
        "id", type=_source_id, nargs="?", metavar="ID", help=messages.HELP_SOURCE_ID
    )
    for leaf in (git_cmd, feed_cmd, list_cmd, remove_cmd, sync_cmd):
        leaf.set_defaults(handler="sources")


def _source_id(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(messages.SOURCE_BAD_ID.format(value=text))
    return int(text)


def _subscriptions(commands: Commands) -> None:
    subs_cmd = commands.add_parser("subscriptions", help=messages.HELP_SUBSCRIPTIONS)
    subs_cmd.set_defaults(usage_of=subs_cmd)
    actions = subs_cmd.add_subparsers(dest="action", metavar="ACTION")
    export = actions.add_parser("export", help=messages.HELP_SUBSCRIPTIONS_EXPORT)
    export.add_argument("--team", metavar="T", help=messages.HELP_TEAM)
    restore = actions.add_parser("import", help=messages.HELP_SUBSCRIPTIONS_IMPORT)
    restore.add_argument("file", type=Path, metavar="FILE", help=messages.HELP_IMPORT_FILE)
    for action in (export, restore):
        action.set_defaults(handler="subscriptions")


def _workspaces(commands: Commands) -> None:
    workspaces_cmd = commands.add_parser("workspaces", help=messages.HELP_WORKSPACES)
    workspace_actions = workspaces_cmd.add_subparsers(dest="action", metavar="ACTION")
    workspace_actions.add_parser("remove", help=messages.HELP_WORKSPACES_REMOVE).add_argument(
        "team", metavar="TEAM", help=messages.HELP_WORKSPACE_TEAM
    )
    workspaces_cmd.set_defaults(handler="workspaces")


def _positive(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.NOT_A_POSITIVE_NUMBER.format(value=text))
    return int(text)


def _slack_id(kind: str, prefixes: str) -> Callable[[str], str]:
    def slack_id(text: str) -> str:
        if not re.fullmatch(f"[{prefixes}][A-Z0-9]{{2,}}", text):
            example = f"{prefixes[0]}0123ABCD"
            message = messages.NOT_A_SLACK_ID.format(value=text, kind=kind, example=example)
            raise argparse.ArgumentTypeError(message)
        return text

    return slack_id


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.handler is None:
        args.usage_of.print_help()
        return 0
    # Imported only now: ingestion's spawned worker processes import the main module again,
    # and they (like `newsbot --help`) should not pay for SQLAlchemy and the rest.
    from bot.runtime import commands, logs

    logs.setup(args.command, args.verbose)
    return commands.run(args)

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
    preview_cmd.add_argument("file", type=Path, metavar="FILE")
    preview_cmd.add_argument("--json", action="store_true", help=messages.HELP_JSON)
    preview_cmd.add_argument("--full", action="store_true", help=messages.HELP_FULL)
    preview_cmd.set_defaults(handler="preview")

    serve_cmd = commands.add_parser("serve", help=messages.HELP_SERVE)
    serve_cmd.add_argument("--socket", action="store_true", help=messages.HELP_SOCKET)
    serve_cmd.add_argument("--host", default="127.0.0.1", help=messages.HELP_HOST)
    serve_cmd.set_defaults(handler="serve")

    db_cmd = commands.add_parser("db", help=messages.HELP_DB)
    db_actions = db_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_actions.add_parser("upgrade", help=messages.HELP_DB_UPGRADE).add_argument(
        "revision", nargs="?", default="head"
    )
    db_actions.add_parser("downgrade", help=messages.HELP_DB_DOWNGRADE).add_argument("revision")
    db_actions.add_parser("current", help=messages.HELP_DB_CURRENT)
    db_cmd.set_defaults(handler="db")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.NOT_A_POSITIVE_NUMBER.format(value=text))
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Imported only now: ingestion's spawned worker processes import the main module again,
    # and they (like `newsbot --help`) should not pay for SQLAlchemy and the rest.
    from bot.runtime import commands, logs

    logs.setup(args.command, args.verbose)
    return commands.run(args)

"""``newsbot ask`` and ``newsbot preview``: what Slack would show, without Slack."""

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot import messages
from bot.news.answers import PostCard
from bot.news.context import CLI_ASKER, SubscribePolicy
from bot.posts import PostError, find_post_files
from bot.posts.parser import read_post
from bot.runtime.settings import Settings
from bot.runtime.startup import open_synced_store
from bot.slack.blocks import render
from bot.slack.conversation import Deps, converse
from bot.slack.plaintext import to_text


async def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer as the slash command would when the text starts with ``/``, else as a DM. Only
    with ``--channel`` and ``--team`` is the asker in a real channel, whose subscriptions it
    may then change; without them it is in none."""
    if (args.channel is None) != (args.team is None):
        print(messages.ASK_CHANNEL_NEEDS_TEAM, file=sys.stderr)
        return 2
    is_command = args.text.lstrip().startswith("/")
    asker = dataclasses.replace(CLI_ASKER, surface="command" if is_command else "dm")
    if args.channel is not None:
        asker = dataclasses.replace(asker, team_id=args.team, channel_id=args.channel)
        print(messages.ASK_IN_CHANNEL.format(channel=args.channel, team=args.team), file=sys.stderr)
    store = await open_synced_store(settings)
    try:
        deps = Deps(store, policy=SubscribePolicy.parse(settings.subscribe_policy))
        message = await converse(deps, asker, args.text, shareable=is_command)
    finally:
        await store.close()
    _show(message.payload(), args.json)
    return 0


async def run_preview(args: argparse.Namespace, _settings: Settings) -> int:
    """Each file's card (a directory's posts, in name order); with ``--json`` one payload a line.
    A rejected file is named on stderr, and the exit status is 1, but the others are shown."""
    rejected = 0
    for path in _preview_files(args.files):
        if not _preview_one(path, args.full, args.json):
            rejected += 1
    return 1 if rejected else 0


def _preview_files(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_dir():
            yield from (Path(file.path) for file in find_post_files(root))
        else:
            yield root


def _preview_one(path: Path, full: bool, as_json: bool) -> bool:
    try:
        parsed = read_post(path)
    except PostError as error:
        print(messages.PREVIEW_REJECTED.format(path=path, reason=error.reason), file=sys.stderr)
        return False
    for warning in parsed.warnings:
        print(messages.INGEST_WARNING.format(path=path, warning=warning), file=sys.stderr)
    payload = render(PostCard(parsed.post, full=full)).payload()
    print(json.dumps(payload, ensure_ascii=False) if as_json else to_text(payload))
    return True


def _show(payload: dict[str, Any], as_json: bool) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else to_text(payload))

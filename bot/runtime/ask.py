"""``newsbot ask`` and ``newsbot preview``: what Slack would show, without Slack."""

import argparse
import dataclasses
import json
import sys
from typing import Any

from bot import messages
from bot.news.answers import PostCard
from bot.news.context import CLI_ASKER, SubscribePolicy
from bot.posts import PostError
from bot.posts.parser import read_post
from bot.runtime.settings import Settings
from bot.runtime.startup import open_synced_store
from bot.slack.blocks import render
from bot.slack.conversation import Deps, converse
from bot.slack.plaintext import to_text


async def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer as the slash command would when the text starts with ``/``, else as a DM."""
    is_command = args.text.lstrip().startswith("/")
    asker = dataclasses.replace(CLI_ASKER, surface="command" if is_command else "dm")
    store = await open_synced_store(settings)
    try:
        deps = Deps(store, policy=SubscribePolicy.parse(settings.subscribe_policy))
        message = await converse(deps, asker, args.text, shareable=is_command)
    finally:
        await store.close()
    _show(message.payload(), args.json)
    return 0


async def run_preview(args: argparse.Namespace, _settings: Settings) -> int:
    try:
        parsed = read_post(args.file)
    except PostError as error:
        print(
            messages.PREVIEW_REJECTED.format(path=args.file, reason=error.reason), file=sys.stderr
        )
        return 1
    for warning in parsed.warnings:
        print(messages.INGEST_WARNING.format(path=args.file, warning=warning), file=sys.stderr)
    _show(render(PostCard(parsed.post, full=args.full)).payload(), args.json)
    return 0


def _show(payload: dict[str, Any], as_json: bool) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else to_text(payload))

"""Slack's message limits (facts.md §1), and a check for the ones slack_sdk does not enforce."""

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
HEADER_TEXT = 150
SECTION_TEXT = 3000
FIELD_TEXT = 2000
BUTTON_TEXT = 75
BUTTON_URL = 3000
BUTTON_VALUE = 2000
ACTIONS_ELEMENTS = 25
IMAGE_URL = 3000
IMAGE_ALT = 2000
CONTEXT_ELEMENTS = 10
MESSAGE_TEXT = 4000  # chat.update refuses longer; chat.postMessage truncates at 40,000
# Slack's undocumented cumulative limit (msg_blocks_too_long) was seen near 13,200 characters.
TOTAL_BLOCK_TEXT = 12000
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def check_message(payload: dict[str, Any], max_blocks: int = MAX_BLOCKS) -> list[str]:
    """Every way ``payload`` (``text`` and ``blocks``) would break a Slack limit; empty if none."""
    blocks = payload.get("blocks", [])
    problems = [f"{len(blocks)} blocks, over {max_blocks}"] if len(blocks) > max_blocks else []
    text = payload.get("text", "")
    if not text or len(text) > MESSAGE_TEXT:
        problems.append(f"fallback text of {len(text)} characters, not 1..{MESSAGE_TEXT}")
    for index, block in enumerate(blocks):
        problems.extend(f"block {index}: {problem}" for problem in _check_block(block))
    total = sum(len(piece) for piece in _texts(blocks))
    if total > TOTAL_BLOCK_TEXT:
        problems.append(f"{total} characters of block text, over {TOTAL_BLOCK_TEXT}")
    return problems


def _check_block(block: dict[str, Any]) -> list[str]:
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return ["not a block slack_sdk knows"]
        parsed.to_dict()  # validates the block and everything inside it
    except SlackObjectFormationError as error:
        return [str(error)]
    fields = block.get("fields") or []
    return [
        f"field {i} has {len(field['text'])} characters, over {FIELD_TEXT}"
        for i, field in enumerate(fields)
        if len(field["text"]) > FIELD_TEXT
    ]


def _texts(value: Any) -> list[str]:
    """Every ``text`` string inside a block structure."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []

"""A Slack message as readable terminal text, for ``newsbot ask`` and ``newsbot preview``."""

import html
import re
from typing import Any

_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")
_MENTION = re.compile(r"<([@#!][^<>|]*)>")


def to_text(payload: dict[str, Any]) -> str:
    """Each block on its own lines; links show their URL; buttons show as ``[label]``."""
    lines: list[str] = []
    for block in payload.get("blocks") or []:
        lines.extend(_block_lines(block))
    return "\n".join(lines) if lines else _readable(payload.get("text", ""))


def _block_lines(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = block["text"]["text"]
        return [title, "=" * min(len(title), 72)]
    if kind == "context":
        return ["  " + "  ".join(_readable(e.get("text", "")) for e in block["elements"])]
    if kind == "section":
        return _section_lines(block)
    if kind == "actions":
        return ["  ".join(_button(element) for element in block["elements"])]
    if kind == "divider":
        return ["-" * 40]
    if kind == "rich_text":
        return [line for element in block["elements"] for line in _rich_lines(element)]
    if kind == "image":
        return [f"[image: {block.get('alt_text', '')}]({block.get('image_url', '')})"]
    return []


def _rich_lines(element: dict[str, Any]) -> list[str]:
    """A rich text element as lines: list items bulleted or numbered and indented, quotes
    marked, code indented."""
    kind = element["type"]
    if kind == "rich_text_list":
        pad = "  " * (element.get("indent") or 0)
        first = (element.get("offset") or 0) + 1
        marks = (
            [f"{n}." for n in range(first, first + len(element["elements"]))]
            if element.get("style") == "ordered"
            else ["•"] * len(element["elements"])
        )
        return [
            f"{pad}{mark} {_inline_text(item)}"
            for mark, item in zip(marks, element["elements"], strict=True)
        ]
    text = _inline_text(element).rstrip("\n")
    prefix = {"rich_text_quote": "> ", "rich_text_preformatted": "    "}.get(kind, "")
    return [prefix + line for line in text.splitlines()] + [""]


def _inline_text(element: dict[str, Any]) -> str:
    parts = []
    for part in element.get("elements", []):
        if part["type"] == "link":
            label = part.get("text") or part["url"]
            parts.append(label if label == part["url"] else f"{label} ({part['url']})")
        else:
            parts.append(part.get("text", ""))
    return "".join(parts)


def _section_lines(block: dict[str, Any]) -> list[str]:
    text = _readable(block.get("text", {}).get("text", ""))
    accessory = block.get("accessory")
    if accessory and accessory.get("type") == "button":
        text += f"  {_button(accessory)}"
    if accessory and accessory.get("type") == "image":
        text += f"  [image]({accessory.get('image_url', '')})"
    return [*text.splitlines(), ""]


def _button(element: dict[str, Any]) -> str:
    label = element["text"]["text"]
    url = element.get("url")
    return f"[{label}]({url})" if url else f"[{label}]"


def _readable(mrkdwn: str) -> str:
    text = _LINK.sub(lambda m: f"{m[2]} ({m[1]})", mrkdwn)
    text = _MENTION.sub(lambda m: m[1].replace("!", "@", 1), text)
    return html.unescape(text)

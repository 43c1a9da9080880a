"""A post body's markdown as Slack ``rich_text`` blocks, walked from the CommonMark syntax tree.

Paragraphs and headings (bold) become sections, lists become lists (a nested list is the next
list at one more indent, as Slack has it), quotes quotes, code and tables preformatted text.
Bold, italic, strike-through and code are styles; an http(s) link is a link element and any
other link its text; an image is a link to it labelled with its alt text. Text elements are
shown literally, so nothing in a post can mention anyone or format beyond this, and raw HTML
keeps its text without its tags.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from markdown_it.tree import SyntaxTreeNode
from slack_sdk.models.blocks import (
    RichTextBlock,
    RichTextElementParts,
    RichTextListElement,
    RichTextPreformattedElement,
    RichTextQuoteElement,
    RichTextSectionElement,
)
from slack_sdk.models.blocks.block_elements import RichTextElement

from bot.posts.markdown import html_text, syntax_tree
from bot.posts.text import is_web_link
from bot.slack.limits import BUTTON_URL, SECTION_TEXT

Part = RichTextElementParts.Text | RichTextElementParts.Link
MAX_INDENT = 8  # Slack's deepest list indent
RULE = "———"


@dataclass(frozen=True, slots=True)
class Style:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False

    def model(self) -> RichTextElementParts.TextStyle | None:
        flags = {name: True for name in ("bold", "italic", "strike", "code") if getattr(self, name)}
        return RichTextElementParts.TextStyle(**flags) if flags else None


PLAIN = Style()
_STYLE_OF = {"strong": "bold", "em": "italic", "s": "strike"}


def body_blocks(markdown: str, budget: int) -> tuple[list[RichTextBlock], bool]:
    """The body as rich text blocks of at most about SECTION_TEXT characters each, within
    ``budget`` characters in all; and whether it had to be shortened to fit."""
    elements = list(_blocks(syntax_tree(markdown).children))
    blocks: list[list[RichTextElement]] = [[]]
    size = used = 0
    for element in elements:
        length = _length(element)
        if used + length > budget:
            return _packed(blocks), True
        if blocks[-1] and size + length > SECTION_TEXT:
            blocks.append([])
            size = 0
        blocks[-1].append(element)
        size += length
        used += length
    return _packed(blocks), False


def _packed(blocks: list[list[RichTextElement]]) -> list[RichTextBlock]:
    return [RichTextBlock(elements=elements) for elements in blocks if elements]


def _length(element: RichTextElement) -> int:
    return sum(len(text) for text in _texts(element.to_dict()))


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            yield value["text"]
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


# --- blocks ---------------------------------------------------------------------------------


def _blocks(nodes: list[SyntaxTreeNode]) -> Iterator[RichTextElement]:
    for node in nodes:
        yield from _block(node)


def _block(node: SyntaxTreeNode) -> Iterator[RichTextElement]:
    kind = node.type
    if kind in ("bullet_list", "ordered_list"):
        yield from _list(node, 0)
    elif kind == "blockquote":
        parts = _flat_parts(node.children)
        if parts:
            yield RichTextQuoteElement(elements=parts)
    elif kind in ("fence", "code_block"):
        yield from _preformatted(node.content.rstrip("\n"))
    elif kind == "table":
        yield from _preformatted(_table_text(node))
    else:
        parts = _block_parts(node)
        if parts:
            yield RichTextSectionElement(elements=[*parts, _text("\n")])


def _block_parts(node: SyntaxTreeNode) -> list[Part]:
    """The inline content of a paragraph, heading (in bold), HTML block (its text) or rule."""
    if node.type in ("paragraph", "heading"):
        style = Style(bold=True) if node.type == "heading" else PLAIN
        return _merged(_inline(node.children[0].children if node.children else [], style))
    if node.type == "html_block":
        return _merged([_text(html_text(node.content).strip("\n"))])
    if node.type == "hr":
        return [_text(RULE)]
    return _flat_parts(node.children)


def _preformatted(text: str) -> Iterator[RichTextElement]:
    if text.strip():
        yield RichTextPreformattedElement(elements=[_text(text)])


def _list(node: SyntaxTreeNode, indent: int) -> Iterator[RichTextElement]:
    """A list, and each list nested in it as the following list one indent deeper; items after
    a nested list continue in a new list at this indent, numbered on."""
    style = "ordered" if node.type == "ordered_list" else "bullet"
    start = int(node.attrs.get("start", 1) or 1) - 1 if style == "ordered" else 0
    items: list[RichTextElement] = []
    done = 0
    for item in node.children:
        blocks = [child for child in item.children if child.type.endswith("_list")]
        parts = _flat_parts([child for child in item.children if child not in blocks])
        items.append(RichTextSectionElement(elements=parts or [_text(" ")]))
        if blocks:
            yield _list_element(items, style, indent, start + done)
            done += len(items)
            items = []
            for nested in blocks:
                yield from _list(nested, min(indent + 1, MAX_INDENT))
    if items:
        yield _list_element(items, style, indent, start + done)


def _list_element(
    items: list[RichTextElement], style: str, indent: int, offset: int
) -> RichTextListElement:
    return RichTextListElement(
        elements=items, style=style, indent=indent or None, offset=offset or None
    )


def _flat_parts(nodes: list[SyntaxTreeNode]) -> list[Part]:
    """Block content flattened into one run of inline parts, a line between blocks: for a
    list item or a quote, which hold inline elements only."""
    parts: list[Part] = []
    for node in nodes:
        if parts:
            parts.append(_text("\n"))
        if node.type in ("bullet_list", "ordered_list"):
            for item in node.children:
                parts += [_text("• "), *_flat_parts(item.children), _text("\n")]
        elif node.type in ("fence", "code_block"):
            parts.append(_text(node.content.rstrip("\n"), Style(code=True)))
        elif node.type == "table":
            parts.append(_text(_table_text(node), Style(code=True)))
        else:
            parts += _block_parts(node)
    return _merged(parts)


# --- inline ---------------------------------------------------------------------------------


def _inline(nodes: list[SyntaxTreeNode], style: Style) -> list[Part]:
    parts: list[Part] = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            parts.append(_text(node.content, style))
        elif kind == "code_inline":
            parts.append(_text(node.content, replace(style, code=True)))
        elif kind in ("softbreak", "hardbreak"):
            parts.append(_text("\n" if kind == "hardbreak" else " ", style))
        elif kind in _STYLE_OF:
            parts += _inline(node.children, replace(style, **{_STYLE_OF[kind]: True}))
        elif kind == "link":
            parts += _link(str(node.attrs.get("href", "")), node.children, style)
        elif kind == "image":
            parts += _link(str(node.attrs.get("src", "")), node.children, style)
    return parts


def _link(url: str, label: list[SyntaxTreeNode], style: Style) -> list[Part]:
    """A link element for an http(s) URL, labelled with its text; otherwise the text alone."""
    inner = _inline(label, style)
    if not is_web_link(url) or len(url) > BUTTON_URL:
        return inner
    text = "".join(getattr(part, "text", "") or "" for part in inner).strip() or url
    return [RichTextElementParts.Link(url=url, text=text, style=style.model())]


def _text(text: str, style: Style = PLAIN) -> RichTextElementParts.Text:
    return RichTextElementParts.Text(text=text, style=style.model())


def _merged(parts: list[Part]) -> list[Part]:
    """Neighbouring texts of one style joined, empty ones dropped (Slack refuses them)."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, RichTextElementParts.Text):
            if not part.text:
                continue
            last = merged[-1] if merged else None
            if isinstance(last, RichTextElementParts.Text) and _same_style(last, part):
                merged[-1] = RichTextElementParts.Text(text=last.text + part.text, style=last.style)
                continue
        merged.append(part)
    return merged


def _same_style(first: RichTextElementParts.Text, second: RichTextElementParts.Text) -> bool:
    def flags(part: RichTextElementParts.Text) -> Any:
        style = part.style
        return style.to_dict() if isinstance(style, RichTextElementParts.TextStyle) else style

    return bool(flags(first) == flags(second))


# --- tables ---------------------------------------------------------------------------------


def _table_text(node: SyntaxTreeNode) -> str:
    """A table as aligned columns of plain text."""
    rows = [
        [_cell_text(cell) for cell in row.children]
        for section in node.children
        for row in section.children
    ]
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    if len(lines) > 1:
        lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _cell_text(cell: SyntaxTreeNode) -> str:
    parts = _inline(cell.children[0].children if cell.children else [], PLAIN)
    return "".join(getattr(part, "text", "") or "" for part in parts)

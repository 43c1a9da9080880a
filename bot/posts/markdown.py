"""A post body's markdown, read by a CommonMark parser (markdown-it-py, with GitHub's tables and
strikethrough): its syntax tree, which Slack rendering walks, and its plain text, which search
shows passages from. Raw HTML is never interpreted: its text is kept, its tags dropped."""

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

_BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>]+|www\.[^\s<>]+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def syntax_tree(markdown: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(_parser().parse(markdown))


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML fragment, its tags (and comments) dropped."""
    reader = _TextOnly()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


@dataclass(frozen=True, slots=True)
class PlainText:
    """A body as text, and the spans (start, end) a search highlight must not fall in: code and
    URLs."""

    text: str
    guarded: tuple[tuple[int, int], ...]


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.guarded: list[tuple[int, int]] = []

    def add(self, text: str, guard: bool = False) -> None:
        if guard and text:
            self.guarded.append((self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)


def plain_text(markdown: str) -> PlainText:
    """The body's text as a reader sees it: links as their labels, images as their alt text."""
    writer = _Writer()
    for token in _parser().parse(markdown):
        _add_block(writer, token)
    text = "".join(writer.parts)
    urls = [match.span() for match in _BARE_URL.finditer(text)]
    return PlainText(text, tuple(sorted([*writer.guarded, *urls])))


def _add_block(writer: _Writer, token: Token) -> None:
    if token.type == "inline":
        _add_inline(writer, token.children or [])
    elif token.type in ("fence", "code_block"):
        writer.add(token.content, guard=True)
    elif token.type == "html_block":
        writer.add(html_text(token.content))
    if token.block and token.nesting <= 0:
        writer.add("\n")


def _add_inline(writer: _Writer, children: list[Token]) -> None:
    autolink = False
    for child in children:
        if child.type == "text":
            writer.add(child.content, guard=autolink)
        elif child.type == "code_inline":
            writer.add(child.content, guard=True)
        elif child.type in ("softbreak", "hardbreak"):
            writer.add("\n" if child.type == "hardbreak" else " ")
        elif child.type == "image":
            writer.add(child.content)
        elif child.type in ("link_open", "link_close"):
            autolink = child.type == "link_open" and child.markup == "autolink"

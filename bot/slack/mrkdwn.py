"""Turning untrusted text into inert mrkdwn: nothing from a post or a person can mention, link
or format beyond what newsbot itself adds."""

import re

from bot.posts.text import is_web_link

# Markdown constructs from post bodies that have a mrkdwn equivalent.
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
# Characters that would end a Slack link early or start another.
_LINK_UNSAFE = str.maketrans({"|": "%7C", ">": "%3E", "<": "%3C", " ": "%20"})


def escape(text: str) -> str:
    """The three characters Slack decodes; everything else stays as typed (facts.md §6)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link for an http(s) URL; anything else is shown as its escaped label only."""
    if not is_web_link(url):
        return escape(label)
    shown = escape(label).replace("|", "¦") or escape(url)
    return f"<{escape(url.translate(_LINK_UNSAFE))}|{shown}>"


def bold(text: str) -> str:
    """Escaped text in bold; asterisks inside are dropped so they cannot end the bold early."""
    inner = escape(text).replace("*", "").strip()
    return f"*{inner}*" if inner else ""


def from_markdown(markdown: str) -> str:
    """A post body as mrkdwn: headings and **bold** become bold, bullets become •, and
    [label](url) becomes a link only for http(s) URLs. Everything else is escaped text."""
    text = escape(markdown)
    text = _MD_LINK.sub(lambda m: link(_unescape(m[2]), _unescape(m[1])), text)
    text = _MD_HEADING.sub(lambda m: f"*{m[1].replace('*', '')}*", text)
    text = _MD_BOLD.sub(r"*\1*", text)
    return _MD_BULLET.sub(r"\1• ", text)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

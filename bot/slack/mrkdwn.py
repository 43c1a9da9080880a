"""Turning untrusted text into inert mrkdwn: nothing from a post or a person can mention, link
or format beyond what newsbot itself adds. A post body's markdown is rendered as rich text
(``blocks.rich_text``), not here."""

from bot.posts.text import is_web_link

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

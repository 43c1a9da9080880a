"""How a post's sentiment reads at a glance: an emoji, the label and the score."""

from bot.posts.model import Post
from bot.slack.mrkdwn import escape

POSITIVE_FROM = 6.5
NEGATIVE_BELOW = 4.0
_EMOJI_BY_LABEL = {"positive": ":large_green_circle:", "negative": ":red_circle:"}
NEUTRAL_EMOJI = ":white_circle:"


def emoji(post: Post) -> str:
    score = post.sentiment_score
    if score is not None:
        if score >= POSITIVE_FROM:
            return _EMOJI_BY_LABEL["positive"]
        return _EMOJI_BY_LABEL["negative"] if score < NEGATIVE_BELOW else NEUTRAL_EMOJI
    return _EMOJI_BY_LABEL.get((post.sentiment_label or "").casefold(), NEUTRAL_EMOJI)


def describe(post: Post) -> str:
    """``:red_circle: Negative 3/10``, escaped for mrkdwn; empty when the post gives neither."""
    label = escape(post.sentiment_label) if post.sentiment_label else ""
    score = f"{post.sentiment_score:g}/10" if post.sentiment_score is not None else ""
    if not (label or score):
        return ""
    return " ".join(part for part in (emoji(post), label, score) if part)

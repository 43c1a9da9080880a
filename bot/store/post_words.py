"""Whether a post mentions a word or phrase: whole words, case and accents ignored, in its
title, TL;DR, body and tags.

Posts have no tags of their own yet, so a post's categories stand in for its tags.
"""

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from bot.posts import Post

_TEXT_CACHE = 256  # a fan-out asks about the same post for every channel it could go to
_texts: OrderedDict[tuple[str, str], str] = OrderedDict()


def folded(text: str) -> str:
    """``text`` without case or accents: "Économie" and "economie" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def mentions_any(post: Post, words: Sequence[str]) -> bool:
    """True when there are no words, or the post mentions one of them."""
    return not words or first_mentioned(post, words) is not None


def first_mentioned(post: Post, words: Sequence[str]) -> str | None:
    """The first of ``words`` (as given) that the post mentions, or ``None``."""
    if not words:
        return None
    found = _pattern(tuple(words)).search(_searched_text(post))
    if found is None:
        return None
    by_fold = {_spaced(folded(word)): word for word in words}
    return by_fold.get(_spaced(found.group(0)), found.group(0))


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "rate cut" wins over "rate" where both are listed.
    alternatives = sorted({_spaced(folded(word)) for word in words}, key=len, reverse=True)
    # A phrase matches across any run of spaces or a line break.
    joined = "|".join(r"\s+".join(map(re.escape, word.split())) for word in alternatives)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)")


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _searched_text(post: Post) -> str:
    key = (post.id, post.content_hash)
    text = _texts.get(key)
    if text is None:
        text = _texts[key] = folded(
            "\n".join((post.title, *post.tldr, post.body, *post.categories))
        )
        if len(_texts) > _TEXT_CACHE:
            _texts.popitem(last=False)
    return text

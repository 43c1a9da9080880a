"""Two-word shingles: each pair of neighbouring words, so PostgreSQL finds a phrase in its index.

PostgreSQL's GIN index holds which posts have a word, not where: for a phrase it can only name the
posts that have every word, and each of those must then be read and checked. Two common words are
together in tens of thousands of posts, so a phrase of them read every one (over a second at
100,000 posts). The search document therefore also holds, as lexemes without positions, every
pair of neighbouring words ("interest rate"), and a phrase is first looked up by its pairs; the
exact phrase is still checked, on those few posts, against the positional vector.

The pairs are made here, in Python, from the same tokens the query side makes them from: building
them in SQL from the vector's positions costs more than the rest of storing a post. A pair is a
candidate filter, so it must never miss a post PostgreSQL's own phrase match would find; it may
name extra ones. Words are therefore keyed coarsely (case, accents and a few letters folded, then
stemmed, as ``snippets`` marks them), and text is split both as it is and with the markup
PostgreSQL's parser skips (tags, entities) removed, so words on either side of ``<b>`` pair up too.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

import snowballstemmer  # type: ignore[import-untyped]

from bot.store.search.query import Term
from bot.store.search.scripts import MARKS

SEPARATOR = "|"  # between the pairs of one post, as the batch statement receives them
# A pair of words longer than this is left out on both sides: a tsvector lexeme holds 2 KB.
LONGEST_KEY = 200
# A post with more pairs than fit one tsvector (1 MB) holds this lexeme instead: any phrase may
# be in it, so it is always checked.
UNKNOWN = "zzphrases"
_MOST_TEXT = 400_000  # characters of pairs, well inside a tsvector's 1 MB
# The query's own tokens (``bot.news.search.query``): letters and digits, with the marks of
# the scripts written without spaces; underscores become spaces first, which is three times
# faster than leaving them out of the pattern.
_TOKEN = re.compile(f"[\\w{MARKS}]+")
# What PostgreSQL's parser reads as a tag or an entity and leaves out of the positions.
_MARKUP = re.compile(r"</?[^\W\d_][^<>]*>|&#?[^\W_]+;")
# Letters that accent folding (unaccent) turns into others but Unicode does not decompose.
_LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """A word as the pairs hold it: folded like the index folds it, then stemmed."""
    folded = unicodedata.normalize("NFKD", word.casefold().translate(_LETTERS))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return str(_STEMMER.stemWord(bare))


def _pairs(text: str) -> set[str]:
    keys = list(map(key, _TOKEN.findall(text.replace("_", " "))))
    return {f"{a} {b}" for a, b in pairwise(keys) if len(a) + len(b) < LONGEST_KEY}


def document_pairs(texts: Iterable[str]) -> str:
    """Every pair of neighbouring words in these fields (read in order, as one text, as the
    document's vector reads them), joined by ``SEPARATOR``."""
    text = "\n".join(texts)
    pairs = _pairs(text)
    if "<" in text or "&" in text:
        pairs |= _pairs(_MARKUP.sub(" ", text))
    joined = SEPARATOR.join(pairs)
    return UNKNOWN if len(joined) > _MOST_TEXT else joined


def phrase_pairs(term: Term) -> list[str] | None:
    """The pairs a post with this phrase must hold; None when they cannot tell (a single word,
    or a word too long to be paired)."""
    keys = [key(token) for token in term]
    pairs = [f"{a} {b}" for a, b in pairwise(keys)]
    if not pairs or any(len(pair) > LONGEST_KEY for pair in pairs):
        return None
    return pairs

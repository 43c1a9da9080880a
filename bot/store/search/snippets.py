"""The passage shown for a search hit: from the TL;DR or the body's plain text (markdown
removed, links as their labels), with the query's words marked, never inside a URL or code.

Both engines' own snippet functions read the indexed text, which is markdown with its URLs (and,
for scripts written without spaces, a space between every character), so the passage is cut here
instead, from the post itself, the same way on either engine. A word matches as the index
matches it: ignoring case and accents, and by its English stem (``vaccines`` marks ``vaccine``).
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from bot.posts import Post
from bot.posts.markdown import PlainText, plain_text
from bot.store.search.query import SearchQuery, Term
from bot.store.search.scripts import has_spaceless
from bot.store.search.terms import MATCH_END, MATCH_START

WINDOW = 240  # characters of passage shown around the first match
LEAD = 60  # of which before it
_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_STEMMER = snowballstemmer.stemmer("english")
Span = tuple[int, int]
# A body's plain text, kept for the posts searched most (the newest, for common words): parsing
# the markdown was most of a search's own CPU time, a few ms for a page of five posts.
_plain_body = lru_cache(maxsize=512)(plain_text)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """A word as the index compares it: case and accents folded, stemmed."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return str(_STEMMER.stemWord(bare))


def snippet(post: Post, query: SearchQuery) -> str | None:
    """The passage (TL;DR, or the body) that shows the most of the query's words, marked, the
    TL;DR on a tie; None when neither shows one (a match in the title or tags alone)."""
    tldr = "\n".join(post.tldr)
    best: tuple[int, str] = (0, "")
    for passage in (PlainText(tldr, _urls(tldr)), _plain_body(post.body)):
        found = [_matches(passage, term) for term in query.terms]
        shown = sum(1 for spans in found if spans)
        if shown > best[0]:
            best = (shown, _marked(passage.text, sorted(s for spans in found for s in spans)))
        if shown == len(query.terms):
            break  # every word in the TL;DR: the body need not be read
    return best[1] or None


def _urls(text: str) -> tuple[Span, ...]:
    return tuple(match.span() for match in _URL.finditer(text))


def _matches(passage: PlainText, term: Term) -> list[Span]:
    spans = _term_spans(passage.text, term)
    return [span for span in spans if not _inside(span, passage.guarded)]


def _term_spans(text: str, term: Term) -> Iterator[Span]:
    joined = "".join(term)
    if has_spaceless(joined):  # characters, matched where they run together
        folded = text.casefold()
        start = folded.find(joined)
        while start >= 0:
            yield start, start + len(joined)
            start = folded.find(joined, start + len(joined))
        return
    found = _words_by_key(text)
    for key in {_key(token) for token in term}:
        yield from found.get(key, ())


@lru_cache(maxsize=512)  # beside ``_plain_body``: the same posts come up search after search
def _words_by_key(text: str) -> dict[str, list[Span]]:
    """Where each word of ``text`` occurs, by its key: one pass over a passage serves every
    term of every search that shows it."""
    found: dict[str, list[Span]] = {}
    for word in _WORD.finditer(text):
        found.setdefault(_key(word[0]), []).append(word.span())
    return found


def _inside(span: Span, guarded: Sequence[Span]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in guarded)


def _marked(text: str, spans: list[Span]) -> str:
    """The window around the first match, matches between the markers, on one line."""
    begin = _word_start(text, max(0, spans[0][0] - LEAD))
    end = min(len(text), begin + WINDOW)
    pieces = ["…" if begin else ""]
    position = begin
    for start, stop in spans:
        if start < position or stop > end:
            continue
        pieces += [text[position:start], MATCH_START, text[start:stop], MATCH_END]
        position = stop
    pieces += [text[position:end], "…" if end < len(text) else ""]
    return " ".join("".join(pieces).split())


def _word_start(text: str, index: int) -> int:
    """``index`` moved back to the start of the word it falls in."""
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index

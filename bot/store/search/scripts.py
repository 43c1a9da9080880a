"""Scripts written without spaces between words (Chinese, Japanese, Thai, ...) made searchable.

Both engines split text into words at spaces and punctuation, so a run of Chinese is one long
"word" and a search for a two-character word inside it finds nothing. Such text is indexed with
a space between every character (a combining mark stays with its letter), and a searched word
in those scripts becomes the phrase of its characters: a phrase matches consecutive characters,
so a word is found wherever it occurs, on either engine. Korean is written with spaces, but
its particles join the word (서울에서, "in Seoul"), so Hangul is split the same way.
Text in other scripts passes through untouched, so English keeps its stemming and ranking.
"""

import re

# Han (with extensions and compatibility forms), Hiragana, Katakana, Bopomofo, Hangul, Thai,
# Lao, Myanmar and Khmer letters.
_SPACELESS = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
# Combining marks of those scripts (Thai and Lao vowels and tones, Khmer and Myanmar signs,
# Japanese sound marks), which belong to the letter before them.
MARKS = (
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd"
    "\u102b-\u103e\u1056-\u1059\u17b4-\u17d3\u3099\u309a"
)
_ANY = re.compile(f"[{_SPACELESS}]")
_UNIT = re.compile(f"([{_SPACELESS}][{MARKS}]*)")
# The first bytes of those characters in UTF-8 (and of a few neighbours). Looking for single
# bytes in the encoded text is a fast byte search, three times cheaper than the pattern above
# over English with curly quotes, which ingestion would otherwise pay on every post.
_LEAD_BYTES = [bytes([lead]) for lead in (0xE0, 0xE1, *range(0xE3, 0xEE), 0xEF, 0xF0)]


def has_spaceless(text: str) -> bool:
    if text.isascii():
        return False
    encoded = text.encode("utf-8", "surrogatepass")
    return any(lead in encoded for lead in _LEAD_BYTES) and _ANY.search(text) is not None


def spaced(text: str) -> str:
    """``text`` with every character of a spaceless script set apart by spaces; text without
    any is returned as it is."""
    return _UNIT.sub(r" \1 ", text) if has_spaceless(text) else text


def units(word: str) -> tuple[str, ...]:
    """A searched word as the index holds it: its characters, for a word in a spaceless script
    (or partly in one), else the word itself."""
    return tuple(spaced(word).split()) if has_spaceless(word) else (word,)

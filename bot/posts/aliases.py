"""Which front-matter names a post's fields are read from: each field's own name, then names an
operator maps to it (``NEWSBOT_FIELD_ALIASES``), then Jekyll's conventions, first present wins.

The operator's map is module state because the parser runs in ingestion's worker processes too:
the runtime sets it once at start (``use_aliases``), and the lanes pass it on to the processes
they spawn (``current_aliases``).
"""

from collections.abc import Mapping

from bot import messages

# Built in: Jekyll's names and the ones news pipelines commonly write.
JEKYLL_NAMES: dict[str, tuple[str, ...]] = {
    "title": (),
    "category": (),
    "categories": (),
    "tags": (),
    "date": (),
    "source_url": ("canonical_url", "link", "url"),
    "source": (),
    "sentiment_score": (),
    "sentiment_label": (),
    "tldr": ("description", "excerpt"),
    "author": (),
    "image": (),
}
FIELDS = tuple(JEKYLL_NAMES)

_operator: dict[str, tuple[str, ...]] = {}
_names: dict[str, tuple[str, ...]] = {}


def _rebuild() -> None:
    _names.clear()
    for field, jekyll in JEKYLL_NAMES.items():
        _names[field] = (field, *_operator.get(field, ()), *jekyll)


def names(field: str) -> tuple[str, ...]:
    """The front-matter names ``field`` is read from, in order of preference."""
    return _names[field]


def parse_aliases(text: str) -> dict[str, tuple[str, ...]]:
    """``NAME=FIELD`` pairs, comma-separated (``summary=tldr, publisher=source``), as the names
    each field gains; ValueError with a sentence for a person when a pair is unusable."""
    gained: dict[str, list[str]] = {}
    for pair in filter(None, (piece.strip() for piece in text.split(","))):
        name, equals, field = (part.strip() for part in pair.partition("="))
        if not equals or not name or field not in JEKYLL_NAMES:
            raise ValueError(messages.BAD_FIELD_ALIAS.format(pair=pair, fields=", ".join(FIELDS)))
        gained.setdefault(field, []).append(name)
    return {field: tuple(found) for field, found in gained.items()}


def use_aliases(aliases: Mapping[str, tuple[str, ...]]) -> None:
    """Read posts with these operator names as well (from ``parse_aliases``)."""
    _operator.clear()
    _operator.update(aliases)
    _rebuild()


def current_aliases() -> dict[str, tuple[str, ...]]:
    return dict(_operator)


_rebuild()

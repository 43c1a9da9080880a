"""What a search asks the store for: a plain value, already checked, with no query syntax left.

Every word is a tuple of tokens made of letters and digits only, so no text a person types can
reach either engine's query language as syntax.
"""

from dataclasses import dataclass
from datetime import datetime

Term = tuple[str, ...]  # the tokens of one word or one quoted phrase, in order


@dataclass(frozen=True, slots=True)
class ScoreBound:
    """One side of a sentiment-score range; ``value`` is a whole number from 0 to 10."""

    value: int
    inclusive: bool


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    category: str | None = None  # case-folded category name
    tag: str | None = None  # case-folded tag name
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    score_low: ScoreBound | None = None
    score_high: ScoreBound | None = None
    polarity: str | None = None  # positive, neutral or negative

    @property
    def has_filters(self) -> bool:
        return any(
            value is not None
            for value in (
                self.category,
                self.tag,
                self.since,
                self.until,
                self.score_low,
                self.score_high,
                self.polarity,
            )
        )

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(token for term in self.terms for token in term)

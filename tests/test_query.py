"""The search query language: what people type becomes words, phrases, exclusions and filters."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.news.search.query import QueryProblem, parse_query
from bot.store.search.query import ScoreBound, SearchQuery
from bot.store.search.scripts import MARKS

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def parsed(text: str) -> SearchQuery:
    query = parse_query(text, NOW)
    assert isinstance(query, SearchQuery), query
    return query


def problem(text: str) -> str:
    query = parse_query(text, NOW)
    assert isinstance(query, QueryProblem), query
    return query.text


def test_words_phrases_and_exclusions() -> None:
    query = parsed('Fed "interest RATE" -mortgage -"housing market"')
    assert query.terms == (("fed",), ("interest", "rate"))
    assert query.excluded == (("mortgage",), ("housing", "market"))


def test_unbalanced_quote_runs_to_the_end() -> None:
    assert parsed('storm "gulf coast').terms == (("storm",), ("gulf", "coast"))


def test_punctuation_and_query_syntax_are_not_words() -> None:
    query = parsed('* ( ) : ^ NEAR(a b) "" -- 🙂 foo_bar')
    assert query.terms == (("near",), ("a",), ("b",), ("foo",), ("bar",))


def test_unknown_name_colon_value_is_two_words() -> None:
    assert parsed("https://example.org note:this").terms == (
        ("https",),
        ("example",),
        ("org",),
        ("note",),
        ("this",),
    )


def test_filters() -> None:
    query = parsed('category:"World  News" since:2026-01-01 until:2026-02-01 sentiment:>=7 rates')
    assert query.category == "world news"
    assert query.since == datetime(2026, 1, 1, tzinfo=UTC)
    assert query.until == datetime(2026, 2, 2, tzinfo=UTC)  # until a day includes that day
    assert query.score_low == ScoreBound(7, True) and query.score_high is None
    assert query.terms == (("rates",),)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("sentiment:>5", ScoreBound(5, False), None),
        ("sentiment:<=3", None, ScoreBound(3, True)),
        ("sentiment:<3", None, ScoreBound(3, False)),
        ("sentiment:6", ScoreBound(6, True), ScoreBound(6, True)),
    ],
)
def test_sentiment_scores(text: str, low: ScoreBound | None, high: ScoreBound | None) -> None:
    query = parsed(text)
    assert (query.score_low, query.score_high) == (low, high)


def test_relative_dates_and_polarity() -> None:
    query = parsed("since:7d until:12h sentiment:Negative")
    assert query.since == NOW - timedelta(days=7)
    assert query.until == NOW - timedelta(hours=12)
    assert query.polarity == "negative"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("since:yesterdayish", "since:2026-01-31"),
        ("until:2026-02-30", "until:7d"),
        ("sentiment:great", "sentiment:positive"),
        ("sentiment:>=11", "from 0 to 10"),
        ("category: rates", "category:business"),
        ("", "Tell me what to look for"),
        ("-mortgage", "Tell me what to look for"),
        ("🙂 ***", "Tell me what to look for"),
        ("\u0e31", "Tell me what to look for"),  # a Thai vowel sign with no letter: no word
        ("since:2026-02-01 until:2026-01-01 rates", "Widen the dates"),
        ("word " * 40, "at most 32"),
    ],
)
def test_problems_say_how_to_write_it(text: str, says: str) -> None:
    assert says in problem(text)


_MARK = re.compile(f"[{MARKS}]")


def _is_word(token: str) -> bool:
    """Letters and digits, each perhaps followed by combining marks of a spaceless script."""
    return token[:1].isalnum() and all(c.isalnum() or _MARK.fullmatch(c) for c in token)


@given(st.text(max_size=400))
def test_any_text_parses_to_a_query_or_a_problem(text: str) -> None:
    result = parse_query(text, NOW)
    if isinstance(result, SearchQuery):
        for term in (*result.terms, *result.excluded):
            assert term and all(_is_word(token) for token in term)
    else:
        assert result.text

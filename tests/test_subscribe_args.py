"""What follows /news subscribe: categories, filters, digests, and clear answers to mistakes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.news.delivery.schedule import DigestSchedule
from bot.news.subscriptions.arguments import (
    ArgumentError,
    SubscribeRequest,
    parse_category_names,
    parse_subscribe,
)
from bot.store.schema import ALL_CATEGORIES

KNOWN = {"politics": "Politics", "science": "Science", "world news": "World News"}


def _keys(request: SubscribeRequest) -> list[str]:
    return [category.key for category in request.categories]


def test_categories_are_comma_separated_and_matched_ignoring_case() -> None:
    request = parse_subscribe("politics, SCIENCE,World News", KNOWN)
    assert _keys(request) == ["politics", "science", "world news"]
    assert [c.name for c in request.categories] == ["Politics", "Science", "World News"]
    assert request.keywords == () and request.min_sentiment is None and request.digest is None


def test_words_after_a_category_are_keywords_and_quotes_keep_phrases() -> None:
    request = parse_subscribe('Politics, World News climate "interest rates"', KNOWN)
    assert _keys(request) == ["politics", "world news"]
    assert request.keywords == ("climate", "interest rates")


def test_options_anywhere() -> None:
    request = parse_subscribe("sentiment:>=6.5 Science digest:weekly@mon09:00 mars", KNOWN)
    assert _keys(request) == ["science"]
    assert request.min_sentiment == 6.5
    assert request.digest == DigestSchedule.parse("weekly@mon09:00")
    assert request.keywords == ("mars",)
    assert parse_subscribe("Science digest:none", KNOWN).digest is None


def test_all_and_smart_quotes() -> None:
    request = parse_subscribe("all “rate cut”", KNOWN)
    assert _keys(request) == [ALL_CATEGORIES] and request.keywords == ("rate cut",)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("politcs", "No category 'politcs'. Did you mean Politics?"),
        ("Sceince, Politics", "No category 'Sceince'. Did you mean Science?"),
        ("Wrld News", "No category 'Wrld News'. Did you mean World News?"),
        ("zzz", "No category 'zzz'. Categories: Politics, Science, World News."),
        ("Politics sentiment:>=11", "not a sentiment filter"),
        ("Politics sentiment:high", "not a sentiment filter"),
        ("Politics digest:hourly", "not a digest time"),
        ("Politics digest:daily@24:00", "not a time of day"),
        ("sentiment:>=5", "Say which categories"),
        (",,", "Say which categories"),
    ],
)
def test_mistakes_get_an_answer_that_helps(text: str, says: str) -> None:
    with pytest.raises(ArgumentError) as raised:
        parse_subscribe(text, KNOWN)
    assert says in str(raised.value)


def test_no_categories_at_all_says_so() -> None:
    with pytest.raises(ArgumentError, match="no posts yet"):
        parse_subscribe("politics", {})


def test_unsubscribe_names() -> None:
    assert parse_category_names("Politics, world news,") == ["Politics", "world news"]


@given(st.text(max_size=300))
def test_any_text_is_a_request_or_a_clear_answer(text: str) -> None:
    try:
        request = parse_subscribe(text, KNOWN)
    except ArgumentError as error:
        assert str(error).strip()
    else:
        assert request.categories

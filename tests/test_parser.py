"""The post format: what a well-formed file, in each of its accepted shapes, reads as."""

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.posts import UNCATEGORIZED, Post, Source, parse_post, read_post
from bot.posts.text import UNSAFE_CHARACTERS, squash
from tests.conftest import SEED
from tests.support.factory import post_text


def parse(text: str, filename: str = "2026-10-01-a-test-post.md") -> Post:
    return parse_post(text.encode(), filename).post


def test_seed_post_reads_completely() -> None:
    parsed = read_post(SEED)
    post = parsed.post
    assert parsed.warnings == ()
    assert post.id == "2026-01-26-minneapolis-hits-back-at-ice"
    assert post.title == "‘We are the Good Samaritans’ - Minneapolis hits back at ICE"
    assert post.categories == ("News",)
    assert post.published_at == datetime(2026, 1, 26, 6, 41, 7, tzinfo=UTC)
    assert (post.source_url or "").startswith("https://www.ft.com/content/")
    assert (post.sentiment_score, post.sentiment_label) == (8.0, "Generally Positive")
    assert len(post.tldr) == 3 and post.tldr[0].startswith("Minneapolis has taken")
    assert post.body.startswith("# Minneapolis Hits Back at ICE")
    assert "### Sources" not in post.body and "## Community Response" in post.body
    assert [s.label for s in post.sources][
        1
    ] == "Press conferences and updates – City of Minneapolis"
    assert all(s.url.startswith("https://") for s in post.sources) and len(post.sources) == 3
    assert len(post.content_hash) == 64


def test_same_bytes_same_hash_and_an_edit_changes_it() -> None:
    text = post_text()
    first = parse_post(text.encode(), "a.md").post
    again = parse_post(text.encode(), "a.md").post
    edited = parse_post(text.replace("another point", "a new point").encode(), "a.md").post
    assert first == again
    assert edited.content_hash != first.content_hash


@pytest.mark.parametrize(
    ("filename", "title", "expected_id"),
    [
        ("2026-10-01-rate-decision.md", "Anything", "2026-10-01-rate-decision"),
        ("2026-10-01-Rate_Decision.markdown", "Anything", "2026-10-01-rate-decision"),
        (
            "notes.md",
            "Central Bank Holds Rates, Signals Patience!",
            "central-bank-holds-rates-signals-patience",
        ),
        ("2026-13-45-bad-date.md", "Café Owners Rally", "cafe-owners-rally"),
        ("x.md", "東京 marathon 2026", "東京-marathon-2026"),
    ],
)
def test_post_id_comes_from_jekyll_filename_else_title(
    filename: str, title: str, expected_id: str
) -> None:
    post = parse_post(post_text(title=title).encode(), filename).post
    assert post.id == expected_id


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"category": "Business"}, ("Business",)),
        ({"category": None, "categories": ["Technology", "Business"]}, ("Technology", "Business")),
        ({"category": None, "categories": "science space"}, ("science", "space")),
        ({"category": "Climate Change"}, ("Climate Change",)),
        ({"category": "World", "categories": ["world", "Health"]}, ("World", "Health")),
        ({"category": None}, (UNCATEGORIZED,)),
        ({"category": "  "}, (UNCATEGORIZED,)),
        ({"category": {"nested": "map"}}, (UNCATEGORIZED,)),
    ],
)
def test_categories_in_every_accepted_shape(
    fields: dict[str, Any], expected: tuple[str, ...]
) -> None:
    assert parse(post_text(**fields)).categories == expected


RAW = """---
title: Dated post
date: {date}
---
Body.
"""


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-01-26 06:41:07", datetime(2026, 1, 26, 6, 41, 7, tzinfo=UTC)),
        ("2026-01-26 06:41:07 +0900", datetime(2026, 1, 25, 21, 41, 7, tzinfo=UTC)),
        ('"2026-01-26 06:41:07 -0500"', datetime(2026, 1, 26, 11, 41, 7, tzinfo=UTC)),
        ("2026-01-26T06:41:07+02:00", datetime(2026, 1, 26, 4, 41, 7, tzinfo=UTC)),
        ("2026-01-26 6:41", datetime(2026, 1, 26, 6, 41, tzinfo=UTC)),
        ("2026-01-26", datetime(2026, 1, 26, tzinfo=UTC)),
        ("2026-01-26T06:41:07Z", datetime(2026, 1, 26, 6, 41, 7, tzinfo=UTC)),
    ],
)
def test_dates_are_stored_as_utc(date: str, expected: datetime) -> None:
    published = parse(RAW.format(date=date)).published_at
    assert published == expected and published.tzinfo == UTC


def test_missing_date_falls_back_to_the_filename_date() -> None:
    text = "---\ntitle: Undated\n---\nBody."
    post = parse_post(text.encode(), "2026-03-04-undated.md").post
    assert post.published_at == datetime(2026, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "expected", "warned"),
    [
        (8, 8.0, False),
        ("7.5", 7.5, False),
        (" 3 ", 3.0, False),
        (0, 0.0, False),
        (11, None, True),
        (-1, None, True),
        ("very good", None, True),
        (True, None, True),
        (float("nan"), None, True),
        (None, None, False),
    ],
)
def test_sentiment_score_is_coerced_or_dropped_with_a_warning(
    score: object, expected: float | None, warned: bool
) -> None:
    parsed = parse_post(post_text(sentiment_score=score).encode(), "a.md")
    assert parsed.post.sentiment_score == expected
    assert any("sentiment_score" in w for w in parsed.warnings) == warned
    assert parsed.post.sentiment_label == "Neutral"


@pytest.mark.parametrize(
    ("tldr", "expected"),
    [
        ("Just one line.", ("Just one line.",)),
        (["One.", "  Two\n  wrapped.  ", "", None, 3], ("One.", "Two wrapped.", "3")),
        (None, ()),
    ],
)
def test_tldr_is_a_list_of_bullets(tldr: object, expected: tuple[str, ...]) -> None:
    assert parse(post_text(tldr=tldr)).tldr == expected


SOURCES_BODY = """Intro.

### Sources
- [Agency report (PDF)](https://agency.example.gov/report_(final).pdf)
- [Bad scheme](javascript:alert(1))
* <https://bare.example.org/page>
- [Mail us](mailto:desk@example.org)
- https://plain.example.net/story.
1. [Numbered [with brackets]](http://numbered.example.com/a "Title")
- no link here

## After sources
Kept in the body.
"""


def test_sources_keep_only_web_links_with_their_labels() -> None:
    parsed = parse_post(post_text(body=SOURCES_BODY).encode(), "a.md")
    assert parsed.post.sources == (
        Source("Agency report (PDF)", "https://agency.example.gov/report_(final).pdf"),
        Source("https://bare.example.org/page", "https://bare.example.org/page"),
        Source("https://plain.example.net/story", "https://plain.example.net/story"),
        Source("Numbered [with brackets]", "http://numbered.example.com/a"),
    )
    assert len([w for w in parsed.warnings if "source link" in w]) == 2
    assert parsed.post.body == "Intro.\n\n## After sources\nKept in the body."


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "//example.org", "https://", "not a url"]
)
def test_source_url_that_is_not_http_is_dropped_with_a_warning(url: str) -> None:
    parsed = parse_post(post_text(source_url=url).encode(), "a.md")
    assert parsed.post.source_url is None
    assert any("source_url" in w for w in parsed.warnings)


def test_byte_order_mark_and_leading_blank_lines_are_tolerated() -> None:
    data = "\ufeff\n\n".encode() + post_text(title="BOM post").encode()
    assert parse_post(data, "a.md").post.title == "BOM post"


def test_control_characters_cannot_reach_a_terminal_or_hide_text() -> None:
    post = parse(
        post_text(
            title="Evil \x1b[2J\x1b]8;;https://x.example\x1b\\ title\x07 \u202eexe.txt",
            category="Pol\x1bitics",
            tldr=["line\x00one"],
        )
    )
    fields = (post.title, *post.categories, *post.tldr)
    assert not any(ch in text for text in fields for ch in "\x1b\x07\x00\u202e")
    assert post.title == "Evil [2J ]8;;https://x.example \\ title exe.txt"


UNSAFE_OR_SPACE = st.sampled_from("\x1b\x85\u202e\u2066 \t\n")


@given(st.text(alphabet=st.characters(codec="utf-8") | UNSAFE_OR_SPACE))
def test_squash_keeps_one_line_of_inert_text(text: str) -> None:
    # The fast path for printable text must give what the full rule gives.
    assert squash(text) == " ".join(UNSAFE_CHARACTERS.sub(" ", text).split())


def test_a_posts_record_holds_its_fields_in_order() -> None:
    post = parse(post_text(categories=["World", "Health"], source_url=None))
    record = post.record()
    assert record._fields == tuple(field.name for field in fields(Post))
    assert record.sources == tuple((source.label, source.url) for source in post.sources)
    assert record[:9] == tuple(getattr(post, name) for name in record._fields[:9])
    assert record.content_hash == post.content_hash

"""The sample posts a newcomer sees first: all valid, varied, and the seed among them."""

from collections import Counter

import pytest

from bot.posts import ParsedPost, read_post
from tests.conftest import SAMPLE_POSTS, SEED


@pytest.fixture(scope="module")
def samples() -> list[ParsedPost]:
    return [read_post(path) for path in sorted(SAMPLE_POSTS.glob("*.md"))]


def test_every_sample_post_reads_cleanly(samples: list[ParsedPost]) -> None:
    assert len(samples) >= 40
    for parsed in samples:
        post = parsed.post
        assert parsed.warnings == (), post.id
        assert post.tldr and post.sources and post.source_url, post.id
        assert post.sentiment_score is not None and post.sentiment_label, post.id


def test_samples_span_categories_months_and_moods(samples: list[ParsedPost]) -> None:
    categories = Counter(name for parsed in samples for name in parsed.post.categories)
    months = {parsed.post.published_at.strftime("%Y-%m") for parsed in samples}
    scores = [parsed.post.sentiment_score or 0 for parsed in samples]
    assert len(categories) >= 8
    assert len(months) >= 3
    assert min(scores) <= 2 and max(scores) >= 9


def test_the_seed_example_is_included_unchanged() -> None:
    assert (SAMPLE_POSTS / SEED.name).read_bytes() == SEED.read_bytes()

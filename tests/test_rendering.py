"""Every message newsbot can render stays inside Slack's limits, and post text stays inert."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.news.answers import (
    CategoryStat,
    CategoryTable,
    Headlines,
    Help,
    HomePage,
    Page,
    PostCard,
    PostList,
    Problem,
    VerbHelp,
)
from bot.posts.model import Post, Source
from bot.posts.parser import read_post
from bot.slack.blocks import RenderOptions, render
from bot.slack.blocks.home import home_blocks, home_view
from bot.slack.limits import BUTTON_TEXT, MAX_VIEW_BLOCKS, check_message, clip
from tests.conftest import SAMPLE_POSTS

SAMPLES = sorted(SAMPLE_POSTS.glob("*.md"))
WHEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def make_post(**changes: Any) -> Post:
    fields: dict[str, Any] = {
        "id": "2026-11-01-a-post",
        "title": "A post",
        "categories": ("Politics",),
        "published_at": WHEN,
        "source_url": "https://example.org/story",
        "sentiment_score": 3.0,
        "sentiment_label": "Negative",
        "tldr": ("One.", "Two."),
        "body": "Some body text.",
        "sources": (Source("Example", "https://example.org/one"),),
        "content_hash": "0" * 64,
    }
    return Post(**(fields | changes))


EXTREMES = {
    "long title": make_post(title="Breaking " * 200),
    "40 sources": make_post(
        sources=tuple(Source(f"Source {i} " * 20, f"https://example.org/{i}") for i in range(40))
    ),
    "30 long bullets": make_post(tldr=tuple(f"Bullet {i} " + "word " * 300 for i in range(30))),
    "1 MB body": make_post(body=("A paragraph of the story. " * 40 + "\n\n") * 1000),
    "long body lines": make_post(body="x" * 1_000_000),
    "no sentiment, no links": make_post(
        sentiment_score=None, sentiment_label=None, source_url=None, sources=()
    ),
    "many categories": make_post(categories=tuple(f"Category {i}" for i in range(60))),
    "hostile": make_post(
        title="<!channel> alert <@U123> <https://evil.example|click>",
        categories=("<!here>",),
        tldr=("<!everyone> & <#C1>", "*bold* <javascript:alert(1)|x>"),
        body="[click](javascript:alert(1)) <!channel> **x** [ok](https://example.org)",
        source_url="javascript:alert(1)",
        sources=(Source("<!channel>", "javascript:alert(1)"), Source("ok", "https://ok.example")),
        sentiment_label="<!subteam^S1>",
    ),
}


def mrkdwn_texts(value: Any) -> list[str]:
    """The text Slack parses for mentions and links: mrkdwn objects. (plain_text is shown as
    typed and never pings anyone.)"""
    if isinstance(value, dict):
        own = [value["text"]] if value.get("type") == "mrkdwn" else []
        return own + [text for item in value.values() for text in mrkdwn_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in mrkdwn_texts(item)]
    return []


def all_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in all_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in all_texts(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
@pytest.mark.parametrize("full", [False, True], ids=["card", "full"])
def test_every_sample_post_card_fits_slack(path: Path, full: bool) -> None:
    post = read_post(path).post
    payload = render(PostCard(post, full=full), RenderOptions(shareable=True)).payload()
    assert check_message(payload) == []
    assert post.title[:100] in payload["blocks"][0]["text"]["text"]


@pytest.mark.parametrize("name", EXTREMES)
@pytest.mark.parametrize("full", [False, True], ids=["card", "full"])
def test_extreme_posts_are_cut_to_fit_never_rejected(name: str, full: bool) -> None:
    payload = render(PostCard(EXTREMES[name], full=full), RenderOptions(shareable=True)).payload()
    assert check_message(payload) == []


def test_the_card_has_the_title_sentiment_bullets_and_buttons() -> None:
    post = read_post(SAMPLES[0]).post
    payload = render(PostCard(post)).payload()
    header, byline, *rest = payload["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": post.title, "emoji": True},
    }
    assert post.categories[0] in byline["elements"][0]["text"]
    buttons = [e for block in rest if block["type"] == "actions" for e in block["elements"]]
    assert buttons[0]["text"]["text"] == "Read on ft.com" and buttons[0]["style"] == "primary"
    assert buttons[0]["url"] == post.source_url
    labels = {clip(source.label, BUTTON_TEXT) for source in post.sources}
    assert {b["text"]["text"] for b in buttons} >= {"Full summary"} | labels
    assert post.title in payload["text"]


def test_hostile_post_text_pings_no_one_and_links_nowhere() -> None:
    for full in (False, True):
        payload = render(PostCard(EXTREMES["hostile"], full=full)).payload()
        parsed = [payload["text"], *mrkdwn_texts(payload)]
        assert not any("<!" in text or "<@" in text or "<#" in text for text in parsed)
        assert not any("<javascript" in text or "|click>" in text for text in parsed)
        texts = all_texts(payload)
        urls = [t for t in texts if t.startswith(("http", "javascript"))]
        assert urls and all(url.startswith("https://") for url in urls)
        mrkdwn = [b for b in payload["blocks"] if b["type"] in ("section", "context")]
        objects = [b.get("text") or b["elements"][0] for b in mrkdwn]
        assert all(obj.get("verbatim") is True for obj in objects if obj["type"] == "mrkdwn")


def test_lists_of_the_longest_posts_fit_and_page_on() -> None:
    posts = tuple(make_post(id=f"p{i}", title="Long title " * 50) for i in range(20))
    answer = PostList("Latest", posts, Page("latest 20", 0, 100))
    payload = render(answer, RenderOptions(shareable=True)).payload()
    assert check_message(payload) == []
    buttons = payload["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Next 20", "Share in channel"]


def test_other_answers_fit() -> None:
    stats = tuple(CategoryStat(f"Category {i} " * 10, i, WHEN) for i in range(300))
    answers = [
        CategoryTable(stats),
        Help(tuple(VerbHelp("verb " * 20, "does things " * 40) for _ in range(40)), "Intro"),
        Problem("No category '<!channel>'. Did you mean Politics?"),
    ]
    for answer in answers:
        payload = render(answer).payload()
        assert check_message(payload) == []
        assert not any("<!" in text for text in [payload["text"], *mrkdwn_texts(payload)])


def test_the_home_tab_fits_with_many_categories() -> None:
    groups = tuple(
        Headlines(f"Category {i}", tuple(make_post(title="Title " * 60) for _ in range(3)))
        for i in range(80)
    )
    view = home_view(home_blocks(HomePage(groups)))
    assert 1 < len(view["blocks"]) <= MAX_VIEW_BLOCKS


def test_dates_read_naturally() -> None:
    post = make_post(published_at=WHEN + timedelta(days=30))
    assert "Dec 1, 2026" in render(PostCard(post)).payload()["blocks"][1]["elements"][0]["text"]

"""Subscription messages stay inside Slack's limits and keep people's text inert."""

import json
from datetime import UTC, datetime, timedelta

from slack_sdk.models.views import View

from bot.news.answers import (
    ChannelStatus,
    ChannelSubscriptions,
    DigestSummary,
    HomePage,
    PostCard,
    WorkspaceChannel,
    WorkspaceSubscriptions,
)
from bot.posts import Post
from bot.slack.blocks import render
from bot.slack.blocks.home import home_blocks
from bot.slack.blocks.subscriptions import home_section
from bot.slack.limits import MAX_VIEW_BLOCKS, check_message
from bot.store.channels import ChannelPause, DeliveryRecord
from bot.store.subscriptions import Subscription

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U123> <https://evil.example|click> &amp;"


def _subscription(index: int, keywords: tuple[str, ...] = (HOSTILE,)) -> Subscription:
    name = f"{HOSTILE} {'x' * 150} {index}"
    return Subscription(
        "T1",
        f"C{index:06d}",
        name.casefold(),
        name,
        "U1",
        NOW,
        7.5,
        keywords,
        "daily@09:00",
        "Europe/Paris",
    )


def _post(index: int) -> Post:
    return Post(
        id=f"post-{index}",
        title=f"{HOSTILE} {'t' * 400}",
        categories=(HOSTILE,),
        published_at=NOW,
        source_url="javascript:alert(1)",
        sentiment_score=5.0,
        sentiment_label=HOSTILE,
        tldr=(HOSTILE,),
        body=HOSTILE,
        sources=(),
        content_hash="0" * 64,
    )


def _inert(payload: dict[str, object]) -> None:
    shown = json.dumps(payload, ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U123>" not in shown
    assert "<https://evil.example" not in shown and "javascript:" not in shown


def test_a_channel_with_hundreds_of_subscriptions_fits_one_message() -> None:
    rows = tuple(_subscription(i, keywords=(HOSTILE,) * 40) for i in range(300))
    pause = ChannelPause("T1", "C1", NOW, None, HOSTILE)
    answer = ChannelSubscriptions("C1", rows, pause, headline=f"Subscribed to {HOSTILE}")
    payload = render(answer).payload()
    assert check_message(payload) == []
    _inert(payload)


def test_status_fits_and_escapes() -> None:
    records = tuple(DeliveryRecord(f"p{i}", HOSTILE * 20, HOSTILE, NOW) for i in range(50))
    answer = ChannelStatus("C1", (_subscription(1),), None, records)
    payload = render(answer).payload()
    assert check_message(payload) == []
    _inert(payload)


def test_a_digest_of_many_posts_fits_and_every_reply_fits() -> None:
    posts = tuple(_post(i) for i in range(120))
    summary = DigestSummary("weekly@mon09:00", "Europe/Paris", NOW - timedelta(days=7), NOW, posts)
    payload = render(summary).payload()
    assert check_message(payload) == []
    listed = [block for block in payload["blocks"] if "accessory" in block]
    assert listed
    assert f"and {120 - len(listed)} more" in json.dumps(payload, ensure_ascii=False)
    _inert(payload)
    assert check_message(render(PostCard(posts[0])).payload()) == []


def test_the_app_home_stays_within_100_blocks_with_thousands_of_channels() -> None:
    channels = tuple(
        WorkspaceChannel(f"C{i:06d}", (_subscription(i),), ChannelPause("T1", "C", NOW, "U1", None))
        for i in range(3000)
    )
    blocks = home_blocks(HomePage())
    blocks += home_section(WorkspaceSubscriptions(channels), MAX_VIEW_BLOCKS - len(blocks))
    view = View(type="home", blocks=blocks).to_dict()  # slack_sdk checks the 100-block limit
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    shown = json.dumps(view, ensure_ascii=False)
    assert "more channels" in shown
    _inert(view)

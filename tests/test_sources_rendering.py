"""Sources as Slack shows them: what comes from outside (URLs, errors, skipped entries) stays
inert, and hundreds of sources still make one valid message."""

import json
from datetime import UTC, datetime

from bot.news.answers import ChannelStatus, SourceHealth, SourceList
from bot.slack.blocks import render
from bot.slack.limits import check_message

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U123> <https://evil.example|click> &amp;"


def _source(index: int, failing: bool) -> SourceHealth:
    return SourceHealth(
        id=index,
        kind="feed",
        url=f"https://feeds.example.org/{index}?q={HOSTILE}",
        posts=index,
        last_fetch_at=NOW,
        failing_since=NOW if failing else None,
        error=f"the feed answered HTTP 500 {HOSTILE}" if failing else None,
        warning=None if failing else f"entry {HOSTILE!r} has no link",
    )


def test_hundreds_of_sources_make_one_valid_message_with_outside_text_inert() -> None:
    answer = SourceList(tuple(_source(n, failing=n % 2 == 0) for n in range(1, 400)))
    message = render(answer)
    assert check_message(message.payload()) == []
    text = json.dumps(message.blocks)
    assert "<!channel>" not in text and "<@U123>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text
    assert "failing since Dec 6, 2026: the feed answered HTTP 500" in text
    assert "ok, but entry" in text
    assert "more: `newsbot sources list` shows them all." in text


def test_no_sources_says_where_posts_come_from() -> None:
    message = render(SourceList(()))
    assert "Posts come only from the posts directory" in message.text


def test_status_names_sources_that_keep_failing() -> None:
    failing = (_source(7, failing=True),)
    message = render(ChannelStatus("C1", (), None, (), failing))
    assert check_message(message.payload()) == []
    text = json.dumps(message.blocks)
    assert "Sources that keep failing" in text and "*7* feed" in text
    assert "<!channel>" not in text
    quiet = json.dumps(render(ChannelStatus("C1", (), None, ())).blocks)
    assert "Sources that keep failing" not in quiet

"""Excluded words on subscriptions: typed after a dash, shown in the listing, and keeping exactly
the posts that mention them (whole words, case and accents ignored, in the title, TL;DR, body or
tags) out of the channel, on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator

import pytest

from bot.news.subscriptions.arguments import ArgumentError, parse_subscribe
from bot.store import Store
from bot.store.subscriptions import Subscription, channel_subscriptions
from tests.support.bot_server import RunningBot
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.slack_emulator import TEAM_ID
from tests.support.slack_requests import CHANNEL_ID
from tests.support.subscribing import (
    command,
    deliver,
    open_modal,
    publish,
    said,
    shown,
    submission,
    submit,
    titles_posted,
)

KNOWN = {"politics": "Politics", "science": "Science"}


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


async def _rows(store: Store) -> list[Subscription]:
    async with store.sessions() as session:
        return await channel_subscriptions(session, TEAM_ID, CHANNEL_ID)


def test_dashed_words_and_phrases_are_excluded_wherever_they_stand() -> None:
    request = parse_subscribe('Politics -budget council -"rate cut", Science', KNOWN)
    assert [c.key for c in request.categories] == ["politics", "science"]
    assert request.keywords == ("council",)
    assert request.excluded == ("budget", "rate cut")
    # A hyphen inside a word is part of the word.
    assert parse_subscribe("Politics e-mail", KNOWN).keywords == ("e-mail",)


async def test_an_excluded_word_stops_exactly_the_posts_that_mention_it(bot: RunningBot) -> None:
    answer = await command(bot, 'subscribe Politics -budget -"rate cut"')
    assert "Subscribed this channel to Politics." in answer["text"]
    listing = await said(bot, "subscriptions")
    assert "not mentioning “budget”, “rate cut”" in listing
    await publish(bot, "in-title", title="Council passes BUDGET")
    await publish(bot, "with-accent", title="Le budgét municipal")
    await publish(bot, "in-tldr", title="Mayor speaks", tldr=["A rate cut is coming."])
    await publish(bot, "phrase-split", title="Bank news", body="A rate\ncut, maybe.\n")
    await publish(bot, "in-tags", title="Tag line", categories=["Politics", "Budget"])
    await publish(bot, "longer-word", title="Budgetary rules eased")
    await publish(bot, "rate-alone", title="Rate of growth steady")
    await publish(bot, "plain", title="Mayor elected")
    await deliver(bot)
    slack = bot.slack
    assert isinstance(slack, DeliveryEmulator)
    posted = " | ".join(titles_posted(slack, CHANNEL_ID))
    for kept in ("Budgetary rules eased", "Rate of growth steady", "Mayor elected"):
        assert kept in posted
    for excluded in ("BUDGET", "budgét", "Mayor speaks", "Bank news", "Tag line"):
        assert excluded not in posted


async def test_included_and_excluded_words_combine(bot: RunningBot) -> None:
    await command(bot, "subscribe Politics council mayor -budget")
    await publish(bot, "council-budget", title="Council budget row")
    await publish(bot, "council-vote", title="Council vote today")
    await publish(bot, "mayor", title="Mayor opens bridge")
    await publish(bot, "neither", title="Senate recess")
    await deliver(bot)
    assert isinstance(bot.slack, DeliveryEmulator)
    posted = " | ".join(titles_posted(bot.slack, CHANNEL_ID))
    assert "Council vote today" in posted and "Mayor opens bridge" in posted
    assert "Council budget row" not in posted and "Senate recess" not in posted


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("subscribe Politics -", "A dash on its own excludes nothing"),
        ('subscribe Politics -""', "A dash on its own excludes nothing"),
        ("subscribe Politics budget -Budget", "'Budget' is both wanted and excluded"),
        ("subscribe Politics thread:maybe", "'thread:maybe' is not a thread setting"),
    ],
)
async def test_bad_filters_get_one_sentence_and_save_nothing(
    bot: RunningBot, typed: str, says: str
) -> None:
    answer = await command(bot, typed)
    assert answer["text"].startswith(says)
    assert await _rows(bot.runtime.store) == []


def test_bad_filters_raise_argument_errors() -> None:
    with pytest.raises(ArgumentError):
        parse_subscribe("Politics - budget", KNOWN)


async def test_the_form_takes_excluded_words_and_thread_mode(bot: RunningBot) -> None:
    view = await open_modal(bot)
    assert {"excluded", "thread"} <= {block.get("block_id") for block in view["blocks"]}
    values = {
        "categories": {"selected_options": [{"value": "Politics"}]},
        "keywords": {"value": "council -senate"},
        "excluded": {"value": '-budget, "rate cut"'},
        "thread": {"selected_options": [{"value": "thread"}]},
    }
    answer = await submit(bot, submission(view, values))
    assert answer["response_action"] == "update"
    assert "not mentioning “budget”, “rate cut”, “senate”" in shown(answer["view"])
    [row] = await _rows(bot.runtime.store)
    assert (row.keywords, row.excluded, row.thread) == (
        ("council",),
        ("budget", "rate cut", "senate"),
        True,
    )


async def test_the_form_refuses_a_word_both_wanted_and_excluded(bot: RunningBot) -> None:
    view = await open_modal(bot)
    values = {
        "categories": {"selected_options": [{"value": "Politics"}]},
        "keywords": {"value": "budget"},
        "excluded": {"value": "Budget"},
    }
    answer = await submit(bot, submission(view, values))
    assert answer["response_action"] == "errors"
    assert answer["errors"]["excluded"].startswith("'Budget' is both wanted and excluded")
    assert await _rows(bot.runtime.store) == []

"""The memo of answers that are the same for everyone: served again while nothing changed, never
after this process's own write to posts, and only as long as ``NEWSBOT_ANSWER_CACHE_SECONDS``
allows for writes it cannot see (another process's)."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.slack.answer_memo import AnswerMemo
from bot.slack.blocks import SlackMessage
from bot.store import Store, open_store
from bot.store.changes import PostChanges
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.factory import write_post
from tests.support.ingesting import ingest
from tests.support.slack_emulator import SlackEmulator

AN_HOUR = 3600.0


@asynccontextmanager
async def bot_remembering(
    store: Store, slack: SlackEmulator, posts_dir: Path, seconds: float
) -> AsyncIterator[RunningBot]:
    write_post(posts_dir, "old.md", title="An older story", date="2026-11-01 09:00:00")
    await ingest(store, [posts_dir])
    url = store.engine.url.render_as_string(hide_password=False)
    settings = bot_settings(slack, url, posts_dir).model_copy(
        update={"answer_cache_seconds": seconds}
    )
    # Without the posts-directory watcher, so only the test decides when posts are ingested.
    async with running_bot(make_runtime(settings, store), slack, plugins=()) as bot:
        yield bot


async def latest(bot: RunningBot) -> str:
    reply = await bot.sender.command("latest", bot.slack.response_url())
    assert reply.status == 200
    return json.dumps(reply.json()["blocks"])


async def test_a_post_ingested_by_this_process_shows_at_once(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    """An hour's memo, and still the new post is in the very next answer."""
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as bot:
        assert "An older story" in await latest(bot)
        write_post(posts_dir, "new.md", title="A breaking story", date="2026-11-30 09:00:00")
        report = await ingest(store, [posts_dir])
        assert report.new == 1
        assert "A breaking story" in await latest(bot)


async def test_an_edit_ingested_by_this_process_shows_at_once(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as bot:
        assert "Neutral 6/10" in await latest(bot)
        write_post(
            posts_dir,
            "old.md",
            title="An older story",
            date="2026-11-01 09:00:00",
            sentiment_score=9,
            sentiment_label="Very Positive",
        )
        assert (await ingest(store, [posts_dir])).updated == 1
        shown = await latest(bot)
        assert "Very Positive 9/10" in shown and "Neutral 6/10" not in shown


async def test_another_process_write_waits_for_the_memo_to_lapse(
    store: Store, slack: SlackEmulator, posts_dir: Path, tmp_path: Path
) -> None:
    """A second store on the same database stands for another replica: its write is not seen
    while the memo holds (the staleness the setting bounds), and at once with the memo off."""
    url = store.engine.url.render_as_string(hide_password=False)
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as remembering:
        assert "An older story" in await latest(remembering)
        new = write_post(tmp_path, "new.md", title="A breaking story", date="2026-11-30 09:00:00")
        other = await open_store(url)
        try:
            await ingest(other, [new])
        finally:
            await other.close()
        assert "A breaking story" not in await latest(remembering)
    async with bot_remembering(store, slack, posts_dir, 0) as forgetting:
        assert "A breaking story" in await latest(forgetting)


async def test_answers_for_one_person_are_not_shared(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    """``subscriptions`` lists the asker's channel: a second channel gets its own answer."""
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as bot:
        url = slack.response_url()
        await bot.sender.command("subscribe Politics", url, channel_id="C0ONE")
        first = await bot.sender.command("subscriptions", url, channel_id="C0ONE")
        second = await bot.sender.command("subscriptions", url, channel_id="C0TWO")
    assert "<#C0ONE>" in json.dumps(first.json())
    assert "<#C0TWO>" in json.dumps(second.json()) and "no subscriptions" in second.json()["text"]


async def test_identical_questions_at_once_are_answered_once() -> None:
    changes = PostChanges()
    memo = AnswerMemo(changes, AN_HOUR)
    made: list[int] = []
    gate = asyncio.Event()

    async def make() -> SlackMessage:
        made.append(changes.count)
        await gate.wait()
        return SlackMessage(f"answer {len(made)}")

    waiting = [asyncio.ensure_future(memo.answer("latest", make)) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    assert {message.text for message in await asyncio.gather(*waiting)} == {"answer 1"}
    changes.bump()
    assert (await memo.answer("latest", make)).text == "answer 2"
    assert made == [0, 1]


async def test_a_failed_answer_is_not_remembered() -> None:
    memo = AnswerMemo(PostChanges(), AN_HOUR)
    attempts: list[str] = []

    async def make() -> SlackMessage:
        attempts.append("tried")
        if len(attempts) == 1:
            raise RuntimeError("the database went away")
        return SlackMessage("answer")

    with pytest.raises(RuntimeError):
        await memo.answer("latest", make)
    assert (await memo.answer("latest", make)).text == "answer"
    assert (await memo.answer("latest", make)).text == "answer"
    assert attempts == ["tried", "tried"]


async def test_a_remembered_answer_is_the_first_to_the_byte(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    """The second ``latest`` is answered from the memo before bolt's dispatch
    (``bot.slack.shortcut``): the same body, and counted as a command like the first."""
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as bot:
        first = await bot.sender.command("latest", slack.response_url())
        second = await bot.sender.command("latest", slack.response_url())
        counted = bot.runtime.metrics.registry.get_sample_value(
            "newsbot_slack_requests_total", {"kind": "command", "outcome": "ok"}
        )
    assert first.status == second.status == 200
    assert second.body == first.body and second.json()["response_type"] == "ephemeral"
    assert counted == 2


async def test_a_search_is_remembered_like_latest(
    store: Store, slack: SlackEmulator, posts_dir: Path, tmp_path: Path
) -> None:
    """Search answers are the same for everyone too: another replica's new post shows once the
    memo lapses, this process's own at once."""
    url = store.engine.url.render_as_string(hide_password=False)
    async with bot_remembering(store, slack, posts_dir, AN_HOUR) as bot:
        assert "Zanzibar" not in await searched(bot, "zanzibar")
        new = write_post(tmp_path, "new.md", title="Zanzibar votes", date="2026-11-30 09:00:00")
        other = await open_store(url)
        try:
            await ingest(other, [new])
        finally:
            await other.close()
        assert "Zanzibar" not in await searched(bot, "zanzibar")
        write_post(posts_dir, "own.md", title="Zanzibar again", date="2026-11-30 10:00:00")
        await ingest(store, [posts_dir])
        assert "Zanzibar again" in await searched(bot, "zanzibar")


async def searched(bot: RunningBot, words: str) -> str:
    reply = await bot.sender.command(f"search {words}", bot.slack.response_url())
    assert reply.status == 200
    return json.dumps(reply.json())


async def test_a_lapsed_answer_is_ready_while_it_is_made_again_unless_posts_changed() -> None:
    changes = PostChanges()
    memo = AnswerMemo(changes, 0.01)
    gate = asyncio.Event()
    made: list[str] = []

    async def make() -> SlackMessage:
        made.append("made")
        if len(made) > 1:
            await gate.wait()
        return SlackMessage(f"answer {len(made)}")

    assert memo.ready("latest") is None  # nothing made yet
    assert (await memo.answer("latest", make)).text == "answer 1"
    assert (ready := memo.ready("latest")) is not None and ready.text == "answer 1"
    await asyncio.sleep(0.02)  # lapsed
    assert memo.ready("latest") is None
    again = asyncio.ensure_future(memo.answer("latest", make))
    await asyncio.sleep(0)
    assert (meanwhile := memo.ready("latest")) is not None and meanwhile.text == "answer 1"
    changes.bump()  # this process wrote posts: the lapsed answer is not served
    assert memo.ready("latest") is None
    gate.set()
    assert (await again).text == "answer 2"

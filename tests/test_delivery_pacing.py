"""A channel's pace under rate limits, judged from the moments the Slack emulator received and
answered each call: after a 429 a channel waits ``Retry-After`` from Slack's answer, and it never
gets two messages less than a second apart, whether the Web API client waited out the 429s itself
or gave up and left the wait to the delivery engine. On SQLite and PostgreSQL."""

from collections import Counter
from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path

import pytest

from bot.news.delivery.engine import EngineSettings
from bot.store import Store
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import (
    ingest_dir,
    new_post,
    running,
    subscribe,
    until,
    until_settled,
)
from tests.support.slack_emulator import Call
from tests.test_delivery import posted_ids

# Rate-limit windows last seconds: what is measured is how long newsbot waits.
pytestmark = pytest.mark.slow

# The pace of the real engine (one message a second), with a quick look for new work.
PACED = EngineSettings(poll_seconds=0.2)
# Longer than the client's own retries (3 waits of Retry-After), so the engine gets the 429 too.
WINDOW_SECONDS = 7.0


@pytest.fixture
async def slack() -> AsyncIterator[DeliveryEmulator]:
    emulator = DeliveryEmulator()
    await emulator.start()
    yield emulator
    await emulator.close()


def posts_to(slack: DeliveryEmulator, channel: str) -> list[Call]:
    return [c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def waits_after_429s(calls: list[Call]) -> list[tuple[float, float]]:
    """For each 429, (seconds it asked for, seconds until the channel's next call arrived)."""
    return [
        (refused.retry_after, following.received - refused.answered)
        for refused, following in pairwise(calls)
        if refused.status == 429
    ]


def gaps_between_messages(calls: list[Call]) -> list[float]:
    accepted = [call for call in calls if call.ok]
    return [later.received - earlier.received for earlier, later in pairwise(accepted)]


async def test_after_429s_a_channel_waits_retry_after_and_keeps_its_pace(
    store: Store, posts_dir: Path, slack: DeliveryEmulator
) -> None:
    await subscribe(store, "C1", "Politics")
    first = new_post(posts_dir, "under-the-limit")
    await ingest_dir(store, posts_dir)
    slack.rate_limit_window("chat.postMessage", WINDOW_SECONDS, retry_after=1)
    async with running(store, slack, PACED):
        await until(lambda: _accepted(slack, "C1", 1))
        # The next post is ready at once: only the channel's pace may hold it back.
        second = new_post(posts_dir, "right-behind")
        await ingest_dir(store, posts_dir)
        await until_settled(store)
    calls = posts_to(slack, "C1")
    assert posted_ids(slack) == Counter({("C1", first.stem): 1, ("C1", second.stem): 1})
    # Four 429s in a row: the client gave up (after its 3 retries), so the engine scheduled the
    # channel's next try after a 429 itself.
    assert len([call for call in calls if call.status == 429]) >= 4
    waits = waits_after_429s(calls)
    assert waits and all(waited >= asked for asked, waited in waits), waits
    gaps = gaps_between_messages(calls)
    assert len(gaps) == 1 and gaps[0] >= 1.0, gaps


async def _accepted(slack: DeliveryEmulator, channel: str, count: int) -> bool:
    return sum(call.ok for call in posts_to(slack, channel)) >= count

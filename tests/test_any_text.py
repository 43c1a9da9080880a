"""Whatever a person types gets a helpful reply that fits in Slack: never silence, never a
traceback. Hypothesis drives the grammar through the same path every listener uses."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.news.context import Asker
from bot.slack.conversation import Deps, converse
from bot.slack.limits import check_message
from bot.store import Store, migrations, open_store
from bot.store.database import create_engine
from tests.conftest import SAMPLE_POSTS
from tests.support.ingesting import ingest

SLACK_ESCAPES = st.sampled_from(
    ["<@U123>", "<@U1|alice>", "<#C1|general>", "<#C2|>", "<!here>", "<https://x.org|x>", "&amp;"]
)
WORDS = st.sampled_from(
    ["/news", "latest", "categories", "show", "help", "politics", "POLITICS", "5", "999", "full"]
)
TYPED = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, SLACK_ESCAPES, st.text(max_size=12)), max_size=8).map(" ".join),
    st.just("x" * 4000),
    st.just('latest "unbalanced'),
    st.just("latest 🗞️🔥 politics"),
)


async def _sample_store(url: str) -> Store:
    engine = create_engine(url)
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(url)
    await ingest(store, [SAMPLE_POSTS])
    return store


@pytest.fixture
def loop_and_store(tmp_path: Path) -> Iterator[tuple[asyncio.AbstractEventLoop, Store]]:
    loop = asyncio.new_event_loop()
    store = loop.run_until_complete(_sample_store(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"))
    yield loop, store
    loop.run_until_complete(store.close())
    loop.close()


@pytest.mark.parametrize("surface", ["command", "dm", "mention"])
def test_any_text_gets_a_reply_that_fits(
    loop_and_store: tuple[asyncio.AbstractEventLoop, Store], surface: str
) -> None:
    loop, store = loop_and_store
    deps = Deps(store)
    asker = Asker("T1", "C1", "U1", surface=surface)  # type: ignore[arg-type]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=TYPED)
    def check(text: str) -> None:
        message = loop.run_until_complete(converse(deps, asker, text, shareable=True))
        assert message.text.strip()
        assert check_message(message.payload()) == []

    check()

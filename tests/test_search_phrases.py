"""Quoted phrases on both engines: exactly the posts with the words side by side, however old."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.news.search.query import parse_query
from bot.store import Store
from bot.store.search import postgres, queries
from bot.store.search.queries import search_posts
from bot.store.search.query import SearchQuery
from tests.support.factory import write_post
from tests.support.ingesting import ingest

NOW = datetime(2026, 11, 24, tzinfo=UTC)
# Both words are in every post; only some have them side by side, in either form.
BODIES = {
    "side": "The interest rate rose again.",
    "plural": "Interest rates were cut.",
    "apart": "The rate of interest rose.",
    "reversed": "A rate interest swap.",
}


async def found(store: Store, text: str) -> set[str]:
    query = parse_query(text, NOW)
    assert isinstance(query, SearchQuery), query
    async with store.sessions() as session:
        page = await search_posts(session, query, limit=50)
    return {hit.post.id for hit in page.hits}


def write_posts(posts_dir: Path, rounds: int) -> set[str]:
    """``rounds`` posts of each body, a day apart; the ids of those with the phrase."""
    wanted = set()
    for n in range(rounds):
        for kind, body in BODIES.items():
            write_post(
                posts_dir,
                f"{kind}-{n}.md",
                body=body,
                title=f"{kind} {n}",
                tldr=["A summary."],
                date=f"2026-{1 + n % 9:02d}-{1 + n:02d} 10:00:00",
            )
            if kind in ("side", "plural"):
                wanted.add(f"{kind}-{n}")
    return wanted


async def test_a_phrase_of_common_words_finds_exactly_the_posts_with_it(
    store: Store, posts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also beyond the newest posts PostgreSQL looks at first (a window of 4 here)."""
    monkeypatch.setattr(postgres, "WINDOW", 4)
    wanted = write_posts(posts_dir, 6)
    await ingest(store, [posts_dir])
    assert await found(store, '"interest rate"') == wanted
    assert await found(store, '"rate interest"') == {f"reversed-{n}" for n in range(6)}
    assert await found(store, "interest rate") == wanted | {
        f"{kind}-{n}" for kind in ("apart", "reversed") for n in range(6)
    }
    assert await found(store, '"interest rate" -cut') == {f"side-{n}" for n in range(6)}
    assert await found(store, '"the interest rate rose"') == {f"side-{n}" for n in range(6)}
    assert await found(store, '"cut rate"') == set()
    assert await found(store, '"interest rate" "rate rose"') == {f"side-{n}" for n in range(6)}


async def test_a_common_phrase_shows_the_newest_matches_and_says_more_than(
    store: Store, posts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL counts a phrase only as far as the ranking needs (its candidates), so the
    count is "more than" past them; SQLite, which counts phrases from its index, says how many.
    Either way the page holds the newest matches."""
    monkeypatch.setattr(queries, "CANDIDATES", 3)
    monkeypatch.setattr(postgres, "WINDOW", 4)
    wanted = write_posts(posts_dir, 6)
    await ingest(store, [posts_dir])
    query = parse_query('"interest rate"', NOW)
    assert isinstance(query, SearchQuery), query
    async with store.sessions() as session:
        page = await search_posts(session, query, limit=2)
    assert {hit.post.id for hit in page.hits} == {"side-5", "plural-5"}
    if store.engine.dialect.name == "postgresql":
        assert (page.total, page.total_is_exact) == (3, False)
    else:
        assert (page.total, page.total_is_exact) == (len(wanted), True)

"""A claim's SQL is the same text however many channels it leaves alone (the caller's turns under
way): PostgreSQL's driver prepares a statement once per text, so a text that changed with each
claim was prepared again, a round trip and a plan, on every claim of a fan-out."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.news.delivery.claim import claim_actions
from bot.store import Store
from bot.store.deliveries import ChannelKey
from tests.support.delivery_helpers import TEAM, budget_day_planned

LEASE = timedelta(seconds=15)


@contextmanager
def claims_sql(store: Store) -> Iterator[list[str]]:
    """The text of each lease-taking statement run meanwhile."""
    texts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("UPDATE delivery_channels SET owner") and "RETURNING" in statement:
            texts.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield texts
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", seen)


async def test_a_claims_text_does_not_change_with_the_channels_it_leaves_alone(
    store: Store, posts_dir: Path
) -> None:
    await budget_day_planned(store, posts_dir, "C01", "C02", "C03")
    now = datetime.now(UTC)
    with claims_sql(store) as texts:
        first = await claim_actions(store, "me", now, LEASE, 1, 5)
        held = {action.channel for action in first}
        second = await claim_actions(store, "me", now, LEASE, 1, 5, held)
        held |= {action.channel for action in second} | {ChannelKey(TEAM, "C0OTHER")}
        third = await claim_actions(store, "me", now, LEASE, 5, 5, held)
    assert len(texts) == 3 and len(set(texts)) == 1
    claimed = [action.channel.channel_id for action in (*first, *second, *third)]
    assert sorted(claimed) == ["C01", "C02", "C03"]

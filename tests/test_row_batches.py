"""Rows passed as one JSON parameter (``bot.store.row_batches``) land as the ORM would write them,
on SQLite and PostgreSQL: text with quotes and non-ASCII, NULLs, and moments that compare and
read back exactly (SQLite compares stored moments as text)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.store import Store
from bot.store.channel_leases import release_channels
from bot.store.deliveries import ChannelKey
from bot.store.row_batches import MOMENT, TEXT, rows_table
from bot.store.schema import DeliveryChannelRow


async def test_moments_and_text_written_from_json_rows_read_back_exactly(store: Store) -> None:
    now = datetime.now(UTC).replace(microsecond=123456)
    names = ["C'quote\"", "Cünïcode ✓", "C-plain"]
    async with store.sessions.begin() as session:
        session.add_all(
            DeliveryChannelRow(team_id="T1", channel_id=name, owner="me", not_before=now)
            for name in names
        )
    due = {
        names[0]: now + timedelta(seconds=1),
        names[1]: now,
        names[2]: now.replace(microsecond=0),
    }
    async with store.sessions.begin() as session:
        await release_channels(session, "me", [(ChannelKey("T1", n), d) for n, d in due.items()])
    async with store.sessions() as session:
        rows = (await session.scalars(select(DeliveryChannelRow))).all()
        later = await session.scalars(
            select(DeliveryChannelRow.channel_id).where(DeliveryChannelRow.not_before > now)
        )
        assert set(later) == {names[0]}
    assert {row.channel_id: row.not_before for row in rows} == due
    assert all(row.owner is None and row.lease_until is None for row in rows)


async def test_json_rows_carry_nulls(store: Store) -> None:
    now = datetime.now(UTC)
    async with store.sessions.begin() as session:
        session.add(DeliveryChannelRow(team_id="T1", channel_id="C1", owner="me", not_before=now))
    async with store.sessions.begin() as session:
        dialect = session.get_bind().dialect
        values = rows_table(dialect, "v", {"channel": TEXT, "until": MOMENT}, [("C1", None)])
        await session.execute(
            update(DeliveryChannelRow)
            .where(DeliveryChannelRow.channel_id == values.c.channel)
            .values(lease_until=values.c.until, owner=None)
            .execution_options(synchronize_session=False)
        )
    async with store.sessions() as session:
        row = await session.scalar(select(DeliveryChannelRow))
    assert row is not None and row.lease_until is None and row.owner is None

"""A database that cannot be used says why, and what to do."""

import pytest

from bot.store import StoreError, open_store


async def test_postgres_without_schema_asks_for_db_upgrade(postgres_url: str) -> None:
    with pytest.raises(StoreError, match=r"schema revision none.*Run 'newsbot db upgrade'"):
        await open_store(postgres_url)


async def test_unreachable_database_is_named_without_its_password() -> None:
    with pytest.raises(StoreError) as caught:
        await open_store("postgresql+asyncpg://newsbot:s3cret@127.0.0.1:1/newsbot")
    assert "Cannot open database postgresql+asyncpg://newsbot:***@127.0.0.1:1/newsbot" in str(
        caught.value
    )
    assert "s3cret" not in str(caught.value)

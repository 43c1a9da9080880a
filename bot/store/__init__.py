"""The SQL store: tables, sessions, queries and migrations. Knows nothing of Slack."""

from bot.store.database import Store, StoreError, open_store
from bot.store.post_writes import FileStamp

__all__ = ["FileStamp", "Store", "StoreError", "open_store"]

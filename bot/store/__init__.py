"""The SQL store: tables, sessions, queries, locks and migrations. Knows nothing of Slack.

Callers outside the store name its session and its errors through here, so that SQL and the
database toolkit stay inside this package.
"""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError
from sqlalchemy.ext.asyncio import AsyncSession as Session

from bot.store.database import Store, StoreError, open_store
from bot.store.post_writes import FileStamp

__all__ = ["DatabaseError", "FileStamp", "Session", "Store", "StoreError", "open_store"]

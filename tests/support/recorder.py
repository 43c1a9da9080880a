"""A list of things received by a test server, with a way to wait until enough have arrived."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

WAIT_SECONDS = 60.0  # a guard against a hanging test, not a timing assertion: far above any
# wait a loaded two-core machine makes (10 s was reached at load 8)


@dataclass
class Recorder:
    items: list[Any] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def add(self, item: Any) -> None:
        async with self._changed:
            self.items.append(item)
            self._changed.notify_all()

    async def wait(self, predicate: Callable[[list[Any]], bool]) -> list[Any]:
        """The items, once ``predicate(items)`` holds; TimeoutError after WAIT_SECONDS."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: predicate(self.items))
        return self.items

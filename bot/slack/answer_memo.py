"""A short-lived memo of rendered answers that are the same for everyone (``latest``,
``categories``, ``show``, ``help``), so a burst of identical commands costs one database read
and one rendering.

An answer is filed under the store's change count as it was when the answer was started; this
process's next committed write to posts raises the count, so its own ingests are never answered
from an older memo. Writes by other processes (``newsbot ingest``, other replicas) are not seen
that way, which is why an answer also expires after ``NEWSBOT_ANSWER_CACHE_SECONDS``.

Identical commands that arrive while the answer is being made wait for that one answer instead
of each asking the database.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from bot.slack.blocks import SlackMessage
from bot.store.changes import PostChanges

# Enough for every page of `latest` people click through, in every category, and then some.
MAX_ENTRIES = 512


@dataclass(frozen=True, slots=True)
class _Entry:
    changes: int  # the store's change count when the answer was started
    expires: float  # event-loop time
    answer: "asyncio.Future[SlackMessage]"


class AnswerMemo:
    def __init__(self, changes: PostChanges, seconds: float, max_entries: int = MAX_ENTRIES):
        self.changes = changes
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()

    async def answer(
        self, key: Hashable, make: Callable[[], Awaitable[SlackMessage]]
    ) -> SlackMessage:
        """The memo's answer for ``key`` while it is current, else a fresh one from ``make``."""
        if self.seconds <= 0:
            return await make()
        now = self._now()
        entry = self._entries.get(key)
        if entry is None or entry.changes != self.changes.count or entry.expires <= now:
            entry = self._start(key, make, now)
        # Shielded: one asker giving up must not cancel the answer the others are waiting for.
        return await asyncio.shield(entry.answer)

    def ready(self, key: Hashable) -> SlackMessage | None:
        """The memo's answer for ``key`` if it is current and already made, else None; never
        starts one (for answering before the app's dispatch, ``bot.slack.shortcut``)."""
        entry = self._entries.get(key)
        if entry is None or self.seconds <= 0 or not entry.answer.done():
            return None
        if entry.changes != self.changes.count or entry.expires <= self._now():
            return None
        if entry.answer.cancelled() or entry.answer.exception() is not None:
            return None
        return entry.answer.result()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def _start(
        self, key: Hashable, make: Callable[[], Awaitable[SlackMessage]], now: float
    ) -> _Entry:
        entry = _Entry(self.changes.count, now + self.seconds, asyncio.ensure_future(make()))
        entry.answer.add_done_callback(lambda done: self._forget_failure(key, entry, done))
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return entry

    def _forget_failure(
        self, key: Hashable, entry: _Entry, done: "asyncio.Future[SlackMessage]"
    ) -> None:
        """A failed answer is not remembered: the next asker tries again."""
        if (done.cancelled() or done.exception() is not None) and self._entries.get(key) is entry:
            del self._entries[key]

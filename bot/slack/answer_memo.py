"""A short-lived memo of rendered answers that are the same for everyone (``latest``,
``categories``, ``show``, ``search``, ``help``), so a burst of identical commands costs one
database read and one rendering.

An answer is filed under the store's change count as it was when the answer was started; this
process's next committed write to posts raises the count, so its own ingests are never answered
from an older memo. Writes by other processes (``newsbot ingest``, other replicas) are not seen
that way, which is why an answer also expires after ``NEWSBOT_ANSWER_CACHE_SECONDS``.

Identical commands that arrive while the answer is being made wait for that one answer instead
of each asking the database; those answered before the app's dispatch (``ready``) get the lapsed
answer meanwhile, unless this process has written posts since it was made.
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
    # The answer this one replaces when only time made it lapse (no write of this process
    # since): ``ready`` serves it while this one is being made.
    previous: SlackMessage | None = None


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
        starts one (for answering before the app's dispatch, ``bot.slack.shortcut``). While a
        lapsed answer is being made again, the one it replaces is served meanwhile (so it
        may be older than the setting by the time one answer takes), but never past a write
        of this process."""
        entry = self._entries.get(key)
        if entry is None or self.seconds <= 0 or entry.changes != self.changes.count:
            return None
        if not entry.answer.done():
            return entry.previous
        if entry.expires <= self._now() or not _made(entry.answer):
            return None
        return entry.answer.result()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def _start(
        self, key: Hashable, make: Callable[[], Awaitable[SlackMessage]], now: float
    ) -> _Entry:
        lapsed = self._entries.get(key)
        previous = None
        if lapsed is not None and lapsed.changes == self.changes.count and _made(lapsed.answer):
            previous = lapsed.answer.result()
        answer = asyncio.ensure_future(make())
        entry = _Entry(self.changes.count, now + self.seconds, answer, previous)
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


def _made(answer: "asyncio.Future[SlackMessage]") -> bool:
    """Whether ``answer`` is done and succeeded."""
    return answer.done() and not answer.cancelled() and answer.exception() is None

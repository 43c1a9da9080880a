"""Watching the posts directory while ``newsbot serve`` runs: a new or edited file is ingested
within seconds, and the delivery engine is woken to post it.

A full round is the same cheap re-scan ``newsbot ingest`` does (unchanged files are skipped on
size and modification time), so no extra dependency or file-system notification is needed. On a
large directory even that scan costs a stat of every file, so between full rounds the watcher
only looks at the directories' modification times, which change when a file is added, removed
or renamed: a new file starts a full round within ``interval``, while an edit made in place
(which leaves its directory's time alone) is found by the next full round, which comes every
``interval`` on a small directory and spaces out on a large one to keep the scans a small share
of the time, though never past ``EDIT_DEADLINE_SECONDS``. Replicas sharing PostgreSQL take turns
(``IngestGate``): one scan at a time is enough for all of them.
"""

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import IngestReport
from bot.posts.files import directories_changed, directory_stamps
from bot.store import DatabaseError, Store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 2.0
# The share of the time full scans may take: while the directories show a change, and while
# they show none (then only in-place edits are left to find).
CHANGED_SHARE = 0.25
QUIET_SHARE = 0.05
# An edit made in place must still reach channels within about 10 seconds (issue #5), however
# large the directory: the quiet spacing never stretches past this.
EDIT_DEADLINE_SECONDS = 8.0


async def watch_posts(
    store: Store,
    posts_dir: Path,
    on_change: Callable[[], None],
    gate: IngestGate,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Re-scan ``posts_dir`` until cancelled; calls ``on_change`` after posts were added or
    changed. Each rejected file is logged once per reason, not on every round; a database
    error is logged and the next round tries again."""
    reported: set[tuple[str, str]] = set()
    loop = asyncio.get_running_loop()
    seen: dict[str, int] | None = None  # the directories' times before the last full scan
    last_start, took = -float("inf"), 0.0
    while True:
        since = loop.time() - last_start
        quiet_due = since >= min(EDIT_DEADLINE_SECONDS, max(interval, took / QUIET_SHARE))
        if (
            seen is None
            or quiet_due
            or (
                since >= took / CHANGED_SHARE and await asyncio.to_thread(directories_changed, seen)
            )
        ):
            last_start = loop.time()
            seen = await _full_round(store, posts_dir, gate, on_change, reported)
            took = loop.time() - last_start
        await asyncio.sleep(interval)


async def _full_round(
    store: Store,
    posts_dir: Path,
    gate: IngestGate,
    on_change: Callable[[], None],
    reported: set[tuple[str, str]],
) -> dict[str, int] | None:
    """Scan the directory; the directories' times from before the scan, or None if it did not
    happen (another replica's turn, an error), so the next round scans again."""
    try:
        # Taken first: a file added while the scan runs then shows as a change next round.
        stamps = await asyncio.to_thread(directory_stamps, posts_dir)
        report = await _scan(posts_dir, gate)
    except (DatabaseError, OSError) as error:
        log.warning("posts directory scan failed, retrying: %s", error)
        return None
    if report is None:
        return None
    _tell(report, on_change, reported)
    return stamps


async def _scan(posts_dir: Path, gate: IngestGate) -> IngestReport | None:
    async with gate.turn(wait=False) as mine:
        return await gate.ingest([posts_dir]) if mine else None


def _tell(
    report: IngestReport, on_change: Callable[[], None], reported: set[tuple[str, str]]
) -> None:
    if report.saved:
        log.info(
            "posts directory: %d new, %d updated, %d removed",
            *(report.new, report.updated, report.removed),
        )
        on_change()
    for problem in report.rejected:
        if (problem.path, problem.text) not in reported:
            reported.add((problem.path, problem.text))
            log.warning("rejected %s: %s", problem.path, problem.text)

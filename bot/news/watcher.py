"""Watching the posts directory while ``newsbot serve`` runs: a new or edited file is ingested
within seconds, and the delivery engine is woken to post it.

Each round is the same cheap re-scan ``newsbot ingest`` does (unchanged files are skipped on
size and modification time), so no extra dependency or file-system notification is needed; on a
very large directory the rounds space out to keep the scan a small share of the time.
"""

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.news.ingest import ingest
from bot.store import Store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 2.0
# A scan that takes longer than this share of the time makes the next one wait longer.
MAX_SHARE = 0.25


async def watch_posts(
    store: Store,
    posts_dir: Path,
    on_change: Callable[[], None],
    lock: asyncio.Lock,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Re-scan ``posts_dir`` until cancelled; calls ``on_change`` after posts were added or
    changed. Each rejected file is logged once per reason, not on every round."""
    reported: set[tuple[str, str]] = set()
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        async with lock:
            report = await ingest(store, [posts_dir])
        if report.new or report.updated:
            log.info("posts directory: %d new, %d updated", report.new, report.updated)
            on_change()
        for problem in report.rejected:
            if (problem.path, problem.text) not in reported:
                reported.add((problem.path, problem.text))
                log.warning("rejected %s: %s", problem.path, problem.text)
        took = loop.time() - started
        await asyncio.sleep(max(interval, took / MAX_SHARE - took))

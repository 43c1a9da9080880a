"""Watching the posts directory while ``newsbot serve`` runs: a new or edited file is ingested
within seconds, and the delivery engine is woken to post it.

Each round is the same cheap re-scan ``newsbot ingest`` does (unchanged files are skipped on
size and modification time), so no extra dependency or file-system notification is needed; on a
very large directory the rounds space out to keep the scan a small share of the time. Replicas
sharing PostgreSQL take turns (``IngestGate``): one scan at a time is enough for all of them.
"""

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.news.ingest import IngestReport, ingest
from bot.news.ingest_gate import IngestGate
from bot.store import Store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 2.0
# A scan that takes longer than this share of the time makes the next one wait longer.
MAX_SHARE = 0.25


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
    while True:
        started = loop.time()
        try:
            report = await _scan(store, posts_dir, gate)
        except (SQLAlchemyError, OSError) as error:
            log.warning("posts directory scan failed, retrying: %s", error)
            report = None
        if report is not None:
            _tell(report, on_change, reported)
        took = loop.time() - started
        await asyncio.sleep(max(interval, took / MAX_SHARE - took))


async def _scan(store: Store, posts_dir: Path, gate: IngestGate) -> IngestReport | None:
    async with gate.turn(wait=False) as mine:
        return await ingest(store, [posts_dir]) if mine else None


def _tell(
    report: IngestReport, on_change: Callable[[], None], reported: set[tuple[str, str]]
) -> None:
    if report.new or report.updated:
        log.info("posts directory: %d new, %d updated", report.new, report.updated)
        on_change()
    for problem in report.rejected:
        if (problem.path, problem.text) not in reported:
            reported.add((problem.path, problem.text))
            log.warning("rejected %s: %s", problem.path, problem.text)

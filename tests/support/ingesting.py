"""Ingest as newsbot's own callers do: through the ingest gate. A running bot's watcher reads
the same posts directory, and on PostgreSQL two ingests of one new file at once would both
COPY it (the second fails on the post's key); the gate makes them take turns."""

from collections.abc import Sequence
from pathlib import Path

from bot.news.ingest import scan
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.pool import PROCESSES_FROM
from bot.news.ingest.report import IngestReport
from bot.store import Store


async def ingest(
    store: Store,
    roots: Sequence[Path],
    progress: scan.ProgressCallback | None = None,
    processes_from: int = PROCESSES_FROM,
    batch_size: int | None = None,
) -> IngestReport:
    """``bot.news.ingest.scan.ingest`` in the ingest gate's turn."""
    async with IngestGate(store).turn(wait=True):
        return await scan.ingest(store, roots, progress, processes_from, batch_size)

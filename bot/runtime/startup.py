"""Bringing the store up to date with the posts directory before answering anyone."""

import sys

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import IngestReport, ingest
from bot.runtime import console
from bot.runtime.settings import Settings
from bot.store import open_store
from bot.store.database import Store


async def open_synced_store(settings: Settings) -> Store:
    """The store, with every new or changed post file in ``NEWSBOT_POSTS_DIR`` read in. Files
    that cannot be read are reported on stderr; the rest are served.

    The reading waits its turn at the ingest gate: replicas of ``newsbot serve`` started
    together on one PostgreSQL would otherwise write the same new posts at the same time (and
    race on their keys); the second one in finds the files already read, and reads nothing."""
    store = await open_store(settings.database_url)
    if not settings.posts_dir.is_dir():
        print(messages.POSTS_DIR_MISSING.format(path=settings.posts_dir), file=sys.stderr)
        return store
    try:
        async with IngestGate(store).turn(wait=True):
            with console.ProgressBar() as progress:
                report = await ingest(store, [settings.posts_dir], progress)
    except BaseException:
        await store.close()
        raise
    _report_problems(report, settings)
    return store


def _report_problems(report: IngestReport, settings: Settings) -> None:
    for line in console.report_lines(report, [settings.posts_dir]):
        if line.startswith(("warning", "rejected")):
            print(line, file=sys.stderr)

"""Bringing the store up to date with the posts directory before answering anyone."""

import logging
import sys
from collections.abc import Callable

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import IngestReport, ingest
from bot.runtime import console
from bot.runtime.settings import Settings
from bot.store import open_store
from bot.store.database import Store

log = logging.getLogger(__name__)


async def open_synced_store(settings: Settings, *, to_log: bool = False) -> Store:
    """The store, with every new or changed post file in ``NEWSBOT_POSTS_DIR`` read in. Files
    that cannot be read are reported on stderr (as log lines with ``to_log``: ``serve``'s stderr
    is its log, one JSON object a line with ``LOG_FORMAT=json``); the rest are served.

    The reading waits its turn at the ingest gate: replicas of ``newsbot serve`` started
    together on one PostgreSQL would otherwise write the same new posts at the same time (and
    race on their keys); the second one in finds the files already read, and reads nothing."""
    say = _to_log if to_log else _to_stderr
    store = await open_store(settings.database_url)
    if not settings.posts_dir.is_dir():
        say(messages.POSTS_DIR_MISSING.format(path=settings.posts_dir))
        return store
    try:
        async with IngestGate(store).turn(wait=True):
            with console.ProgressBar() as progress:
                report = await ingest(store, [settings.posts_dir], progress)
    except BaseException:
        await store.close()
        raise
    _report_problems(report, settings, say)
    return store


def _report_problems(report: IngestReport, settings: Settings, say: Callable[[str], None]) -> None:
    for line in console.report_lines(report, [settings.posts_dir]):
        if line.startswith(("warning", "rejected")):
            say(line)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _to_log(line: str) -> None:
    log.warning(line)

"""Bringing the store up to date with the posts directory: before answering (``newsbot ask``)
or in the background while answering (``newsbot serve``, which listens at once)."""

import asyncio
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.news.ingest.scan import IngestReport, ingest
from bot.runtime import console
from bot.runtime.settings import Settings
from bot.store import StoreError, open_store
from bot.store.database import Store, shown_url
from bot.store.integrity import check_integrity

log = logging.getLogger(__name__)

START_CHECK_SECONDS = 10.0


async def check_database(settings: Settings) -> None:
    """Stop start-up when SQLite finds the database file damaged, before anything reads it
    (PostgreSQL checks its pages itself). The check is given a few seconds: one that has not
    finished by then is left to ``newsbot db check``."""
    url = settings.database_url
    integrity = await check_integrity(url, seconds=START_CHECK_SECONDS)
    if not integrity.finished:
        log.warning(messages.DB_CHECK_UNFINISHED.format(seconds=START_CHECK_SECONDS))
    elif integrity.problems:
        problem = integrity.problems[0]
        raise StoreError(messages.DB_DAMAGED.format(url=shown_url(url), error=problem))


async def open_synced_store(settings: Settings, *, to_log: bool = False) -> Store:
    """The store, with every new or changed post file in ``NEWSBOT_POSTS_DIR`` read in. Files
    that cannot be read are reported on stderr (as log lines with ``to_log``: ``serve``'s stderr
    is its log, one JSON object a line with ``LOG_FORMAT=json``); the rest are served.

    The reading waits its turn at the ingest gate: replicas of ``newsbot serve`` started
    together on one PostgreSQL would otherwise write the same new posts at the same time (and
    race on their keys); the second one in finds the files already read, and reads nothing."""
    say = say_in_log if to_log else say_on_stderr
    store = await open_store(settings.database_url)
    if not posts_dir_exists(settings.posts_dir, say):
        return store
    try:
        async with IngestGate(store).turn(wait=True):
            with console.ProgressBar() as progress:
                report = await ingest(store, [settings.posts_dir], progress)
    except BaseException:
        await store.close()
        raise
    report_problems(report, settings.posts_dir, say)
    return store


def say_on_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def say_in_log(line: str) -> None:
    """For ``serve``, whose stderr is its log (one JSON object a line with LOG_FORMAT=json)."""
    log.warning(line)


def posts_dir_exists(posts_dir: Path, say: Callable[[str], None] = say_on_stderr) -> bool:
    """Whether there is a posts directory to read; says so when there is not."""
    if posts_dir.is_dir():
        return True
    say(messages.POSTS_DIR_MISSING.format(path=posts_dir))
    return False


def report_problems(
    report: IngestReport, posts_dir: Path, say: Callable[[str], None] = say_on_stderr
) -> None:
    for line in console.report_lines(report, [posts_dir]):
        if line.startswith(("warning", "rejected")):
            say(line)


@dataclass
class CatchUp:
    """How far ``serve`` is with reading the posts directory in the background, for the log
    and ``/healthz``. ``to_read`` is 0 until the directory has been walked."""

    running: bool = False
    read: int = 0
    to_read: int = 0

    def progress(self, read: int, to_read: int) -> None:
        self.read, self.to_read = read, to_read
        log.info(messages.CATCHING_UP_PROGRESS.format(read=read, to_read=to_read))


async def catch_up(store: Store, posts_dir: Path, gate: IngestGate, status: CatchUp) -> bool:
    """Read every new or changed file in ``posts_dir`` while ``serve`` already answers from
    what is stored; True if posts were added or changed. Waits its turn at the gate, as
    replicas started together would otherwise write the same new posts at once."""
    status.running = True
    if not await asyncio.to_thread(posts_dir.is_dir):
        status.running = False
        return False
    try:
        async with gate.turn(wait=True):
            report = await ingest(store, [posts_dir], status.progress)
    finally:
        status.running = False
    log.info(messages.CAUGHT_UP.format(new=report.new, updated=report.updated))
    report_problems(report, posts_dir, say_in_log)
    return report.saved

"""``newsbot db``: the schema's revision, migrations, and whether the database is intact."""

import argparse
import shlex

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import messages
from bot.runtime.settings import Settings
from bot.store import migrations
from bot.store.database import create_engine, database_errors, shown_url, sqlite_file
from bot.store.integrity import check_integrity

# What `db` does without creating a SQLite file that is not there yet.
_READING = ("current", "check", "downgrade")


async def run_db(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        file = sqlite_file(settings.database_url)
        if args.action in _READING and file is not None and not file.exists():
            print(messages.DB_MISSING.format(url=shown_url(engine)))
            return 0
        if args.action == "check":
            return await _check(engine, settings)
        with database_errors(engine):
            if args.action == "upgrade":
                await migrations.upgrade(engine, args.revision)
            elif args.action == "downgrade":
                await migrations.downgrade(engine, args.revision)
            revision = await migrations.current_revision(engine)
    finally:
        await engine.dispose()
    template = messages.DB_UPGRADED if args.action == "upgrade" else messages.DB_AT
    print(template.format(url=shown_url(engine), revision=revision or "empty"))
    return 0


async def _check(engine: AsyncEngine, settings: Settings) -> int:
    """Say whether the database is intact and at this newsbot's schema; if not, what is wrong
    and what to do, and exit 1."""
    sqlite = sqlite_file(settings.database_url) is not None
    intact, damaged = (
        (messages.DB_INTACT_SQLITE, messages.DB_DAMAGED_SQLITE)
        if sqlite
        else (messages.DB_INTACT_POSTGRES, messages.DB_DAMAGED_POSTGRES)
    )
    integrity = await check_integrity(settings.database_url)
    # The file is checked before its revision is read: a damaged one may not even give that.
    if (integrity.intact or not sqlite) and await _behind(engine):
        return 1
    if integrity.intact:
        print(intact.format(url=shown_url(engine)))
        return 0
    print(damaged.format(url=shown_url(engine)))
    for problem in integrity.problems:
        print(f"  {problem}")
    print(_repair(settings))
    return 1


async def _behind(engine: AsyncEngine) -> bool:
    """Whether the schema is not this newsbot's, said if so."""
    with database_errors(engine):
        current = await migrations.current_revision(engine)
    head = migrations.head_revision()
    if current != head:
        print(
            messages.DB_BEHIND.format(url=shown_url(engine), current=current or "none", head=head)
        )
    return current != head


def _repair(settings: Settings) -> str:
    posts_dir = shlex.quote(str(settings.posts_dir))
    file = sqlite_file(settings.database_url)
    if file is None:
        return messages.DB_REPAIR_POSTGRES.format(posts_dir=posts_dir)
    return messages.DB_REPAIR_SQLITE.format(file=shlex.quote(str(file)), posts_dir=posts_dir)

"""Adding, listing and removing sources: the operator's use cases behind ``newsbot sources``."""

import shutil
from datetime import UTC, datetime
from pathlib import PurePosixPath

from bot import messages
from bot.news.sources.documents import is_http_url
from bot.news.sources.git import is_git_url, shown_url
from bot.news.sources.sync import SourcePlaces
from bot.store import Store
from bot.store.sources import FEED, GIT, Source, add_source, all_sources, remove_source


class SourceInputError(ValueError):
    """What the operator typed cannot be a source; the message is one line saying why."""


async def add_git(store: Store, url: str, branch: str | None, path: str | None) -> Source:
    url = url.strip()
    if not is_git_url(url):
        raise SourceInputError(messages.SOURCE_BAD_GIT_URL.format(url=shown_url(url)))
    if branch is not None and (not branch.strip() or branch.startswith("-")):
        raise SourceInputError(messages.SOURCE_BAD_BRANCH.format(branch=branch))
    return await _add(store, GIT, url, branch=branch, path=_relative_path(path))


async def add_feed(store: Store, url: str, category: str | None) -> Source:
    url = url.strip()
    if not is_http_url(url):
        raise SourceInputError(messages.SOURCE_BAD_FEED_URL.format(url=shown_url(url)))
    if category is not None and not category.strip():
        raise SourceInputError(messages.SOURCE_EMPTY_CATEGORY)
    return await _add(store, FEED, url, category=category.strip() if category else None)


def _relative_path(path: str | None) -> str | None:
    """A folder inside the repository, as given with ``--path``."""
    if path is None:
        return None
    parts = PurePosixPath(path.strip().strip("/")).parts
    if not parts or ".." in parts or path.strip().startswith("/"):
        raise SourceInputError(messages.SOURCE_BAD_PATH.format(path=path))
    return "/".join(parts)


async def _add(store: Store, kind: str, url: str, **options: str | None) -> Source:
    async with store.sessions.begin() as session:
        return await add_source(session, kind, url, datetime.now(UTC), **options)


async def list_sources(store: Store) -> list[Source]:
    async with store.sessions() as session:
        return await all_sources(session)


async def remove(store: Store, places: SourcePlaces, source_id: int) -> Source:
    """Forget the source and delete the files newsbot kept for it; posts already read stay."""
    async with store.sessions.begin() as session:
        removed = await remove_source(session, source_id)
    if removed is None:
        raise SourceInputError(messages.SOURCE_NOT_FOUND.format(id=source_id))
    shutil.rmtree(places.directory(removed), ignore_errors=True)
    return removed

"""``/news sources``: the sources and their health, for everyone to read. Changing them stays on
the command line (``newsbot sources``), which is the operator's."""

from collections.abc import Callable
from datetime import datetime

from bot import messages
from bot.news.answers import Answer, SourceHealth, SourceList
from bot.news.context import VerbContext, VerbSpec
from bot.news.sources.git import shown_url
from bot.store import Session
from bot.store.sources import Source, all_sources, failing_sources

# /news status names a source once it has failed this many times in a row.
KEEPS_FAILING = 3


def health(source: Source) -> SourceHealth:
    return SourceHealth(
        id=source.id,
        kind=source.kind,
        url=shown_url(source.url),
        posts=source.posts,
        last_fetch_at=source.last_fetch_at,
        failing_since=source.failing_since,
        error=source.last_error,
        warning=source.last_warning,
    )


def health_text(source: SourceHealth, when: Callable[[datetime], str]) -> str:
    """How the source is doing, in a few words; ``when`` writes a moment."""
    if source.error is not None:
        since = source.failing_since or source.last_fetch_at
        moment = when(since) if since is not None else "?"
        return messages.SOURCE_HEALTH_FAILING.format(since=moment, error=source.error)
    if source.last_fetch_at is None:
        return messages.SOURCE_HEALTH_NEW
    if source.warning:
        return messages.SOURCE_HEALTH_WARNING.format(warning=source.warning)
    return messages.SOURCE_HEALTH_OK


def failing_notice(source: Source) -> str:
    """The direct message that tells the operator a source has failed for a day."""
    since = source.failing_since or source.last_fetch_at
    return messages.SOURCE_FAILING_DM.format(
        id=source.id,
        kind=source.kind,
        url=shown_url(source.url),
        since=f"{since:%Y-%m-%d %H:%M} UTC" if since else "?",
        error=source.last_error or "?",
    )


async def list_sources(ctx: VerbContext, _args: str) -> Answer:
    async with ctx.store.sessions() as session:
        sources = await all_sources(session)
    return SourceList(tuple(health(source) for source in sources))


async def sources_failing(session: Session) -> tuple[SourceHealth, ...]:
    """The sources that keep failing, for ``/news status``."""
    failing = await failing_sources(session)
    return tuple(health(source) for source in failing if source.failures >= KEEPS_FAILING)


VERBS = (VerbSpec("sources", *messages.VERB_SOURCES, handler=list_sources, shared=True),)

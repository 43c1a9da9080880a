"""The search use case: what a person typed becomes a page of ranked results, or a helpful
answer that says which filter to drop or which category to try."""

import difflib
import re
from dataclasses import replace
from datetime import UTC, datetime

from bot import messages
from bot.news.answers import Answer, Found, Notice, Page, Problem, SearchResults, SnippetPart
from bot.news.context import VerbContext, VerbSpec
from bot.news.search.browse import resolve_category
from bot.news.search.query import QueryProblem, parse_query
from bot.store import Session
from bot.store import posts as post_store
from bot.store.database import Store
from bot.store.search.queries import MATCH_END, MATCH_START, count_matches, search_posts
from bot.store.search.query import SearchQuery

PAGE_SIZE = 5
RECENT_POSTS = 200  # the categories suggested for an empty search are those of these posts
SNIPPET_LENGTH = 280
_MARKDOWN_LINE_START = re.compile(r"^\s*(?:#{1,6}|[-*+]|\d+\.)\s+", re.MULTILINE)
_MARKED = re.compile(f"{MATCH_START}([^{MATCH_END}]*){MATCH_END}")


def snippet_parts(marked: str) -> tuple[SnippetPart, ...]:
    """A passage with match markers as parts, on one line, markdown line marks dropped."""
    text = " ".join(_MARKDOWN_LINE_START.sub("", marked).split())
    parts: list[SnippetPart] = []
    position = 0
    for found in _MARKED.finditer(text):
        parts.append(SnippetPart(text[position : found.start()], False))
        parts.append(SnippetPart(found[1], True))
        position = found.end()
    parts.append(
        SnippetPart(text[position:].replace(MATCH_START, "").replace(MATCH_END, ""), False)
    )
    return _clipped(tuple(part for part in parts if part.text))


def _clipped(parts: tuple[SnippetPart, ...]) -> tuple[SnippetPart, ...]:
    kept: list[SnippetPart] = []
    room = SNIPPET_LENGTH
    for part in parts:
        if room <= 0:
            break
        kept.append(part if len(part.text) <= room else SnippetPart(part.text[:room] + "…", False))
        room -= len(part.text)
    return tuple(kept)


async def search(
    store: Store, text: str, now: datetime, offset: int = 0, limit: int = PAGE_SIZE
) -> Answer:
    query = parse_query(text, now)
    if isinstance(query, QueryProblem):
        return Problem(query.text)
    async with store.sessions() as session:
        page = await search_posts(session, query, offset, limit)
        if not page.hits and offset == 0:
            # Only now see whether the category exists: listing every category to suggest
            # one costs more than a search, so only a missing category pays for it.
            if query.category and not await post_store.has_category(session, query.category):
                known = await resolve_category(session, query.category)
                if isinstance(known, Problem):
                    return known
            return Notice(await _nothing_found(session, query, text))
    found = tuple(Found(hit.post, snippet_parts(hit.snippet)) for hit in page.hits)
    command = f"search {text.strip()}"
    return SearchResults(
        text.strip(), found, page.total, page.total_is_exact, Page(command, offset, page.ranked)
    )


def _without_each_filter(query: SearchQuery) -> list[tuple[str, SearchQuery]]:
    """The query with one filter (or the exclusions) dropped, named as a person would type it."""
    loosened = []
    if query.category is not None:
        loosened.append((f"category:{query.category}", replace(query, category=None)))
    if query.tag is not None:
        loosened.append((f"tag:{query.tag}", replace(query, tag=None)))
    if query.score_low or query.score_high or query.polarity:
        plain = replace(query, score_low=None, score_high=None, polarity=None)
        loosened.append(("sentiment:", plain))
    if query.since or query.until:
        loosened.append(("since:/until:", replace(query, since=None, until=None)))
    if query.excluded:
        loosened.append(
            ("-" + " -".join(" ".join(t) for t in query.excluded), replace(query, excluded=()))
        )
    return loosened


async def _nothing_found(session: Session, query: SearchQuery, text: str) -> str:
    for named, loosened in _without_each_filter(query):
        count = await count_matches(session, loosened)
        if count:
            results = messages.RESULT_COUNT_WORDS[count != 1]
            return messages.SEARCH_DROP_FILTER.format(
                query=text, filter=named, count=count, results=results
            )
    names = await post_store.recent_categories(session, RECENT_POSTS)
    if not names:
        return messages.SEARCH_NO_POSTS
    words = [" ".join(term) for term in query.terms]
    close = [
        name
        for word in words
        for name in difflib.get_close_matches(word, [n.casefold() for n in names], 1, 0.75)
    ]
    if close:
        suggestion = next(n for n in names if n.casefold() == close[0])
        return messages.SEARCH_TRY_CATEGORY.format(query=text, category=suggestion)
    return messages.SEARCH_NOTHING.format(query=text, categories=", ".join(names[:5]))


async def search_verb(ctx: VerbContext, args: str) -> Answer:
    return await search(ctx.store, args, datetime.now(UTC), ctx.offset)


# Shared: the results depend on the words and the stored posts only. Relative dates
# (``since:3d``) are read against the clock, so a remembered answer's window is a few seconds
# old (NEWSBOT_ANSWER_CACHE_SECONDS) at most.
VERBS = (VerbSpec("search", *messages.VERB_SEARCH, handler=search_verb, shared=True),)

"""Reading the news: the newest posts, the categories, one post."""

import difflib

from bot import messages
from bot.news.answers import (
    Answer,
    CategoryStat,
    CategoryTable,
    Headlines,
    HomePage,
    Notice,
    Page,
    PostCard,
    PostList,
    Problem,
)
from bot.news.context import VerbContext, VerbSpec
from bot.store import Session
from bot.store import posts as store

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
_SIMILAR_IDS = 3
FULL = "full"
HOME_CATEGORIES = 12
HOME_HEADLINES = 3


async def latest(ctx: VerbContext, args: str) -> Answer:
    """``latest [CATEGORY] [N]``: the words are the category, a number is how many."""
    numbers = [word for word in args.split() if word.isdecimal()]
    if len(numbers) > 1:
        return Problem(messages.TOO_MANY_NUMBERS.format(numbers=", ".join(numbers)))
    if numbers and int(numbers[0]) == 0:
        return Problem(messages.LATEST_NONE.format(number=numbers[0], most=MAX_LIMIT))
    limit = min(int(numbers[0]), MAX_LIMIT) if numbers else DEFAULT_LIMIT
    wanted = " ".join(word for word in args.split() if not word.isdecimal())
    async with ctx.store.sessions() as session:
        category = await resolve_category(session, wanted) if wanted else None
        if isinstance(category, Problem):
            return category
        # One more than asked tells whether there is a next page, without counting every post.
        found = await store.latest_posts(session, limit + 1, category, offset=ctx.offset)
    if not found and ctx.offset == 0:
        empty = messages.NO_POSTS_IN.format(category=category) if category else messages.NO_POSTS
        return Notice(empty)
    heading = messages.LATEST_IN_HEADING.format(category=category) if category else None
    command = " ".join(["latest", *([category] if category else []), str(limit)])
    page = Page(command, ctx.offset, total=None, more=len(found) > limit)
    return PostList(heading or messages.LATEST_HEADING, tuple(found[:limit]), page)


async def resolve_category(session: Session, wanted: str) -> str | Problem:
    """The category's stored name, matched ignoring case, or a Problem suggesting the closest."""
    name = await store.category_name(session, wanted)
    if name is not None:
        return name
    names = {name.casefold(): name for name in await store.category_counts(session)}
    return Problem(
        messages.UNKNOWN_CATEGORY.format(category=wanted, hint=_category_hint(wanted, names))
    )


def _category_hint(wanted: str, names: dict[str, str]) -> str:
    if not names:
        return messages.NO_CATEGORIES
    close = difflib.get_close_matches(wanted.casefold(), names, n=1, cutoff=0.6)
    if close:
        return messages.CATEGORY_SUGGESTION.format(suggestion=names[close[0]])
    return messages.CATEGORY_LIST.format(known=", ".join(sorted(names.values())))


async def categories(ctx: VerbContext, _args: str) -> Answer:
    async with ctx.store.sessions() as session:
        stats = await store.category_stats(session)
    return CategoryTable(tuple(CategoryStat(*stat) for stat in stats))


async def show(ctx: VerbContext, args: str) -> Answer:
    """``show ID [full]``: one post's card, with its whole summary when ``full``."""
    words = args.split()
    post_id = words[0] if words else ""
    if not post_id:
        return Problem(messages.SHOW_NEEDS_ID)
    async with ctx.store.sessions() as session:
        post = await store.get_post(session, post_id)
        if post is None:
            return await unknown_post(session, post_id)
    return PostCard(post, full=FULL in (word.casefold() for word in words[1:]))


async def unknown_post(session: Session, post_id: str) -> Problem:
    """No post has this id: say so, with the ids that look like it."""
    similar = await store.post_ids_like(session, post_id, _SIMILAR_IDS)
    hint = (
        messages.SHOW_SIMILAR.format(ids=", ".join(f"`{i}`" for i in similar))
        if similar
        else messages.SHOW_NOTHING_SIMILAR
    )
    return Problem(messages.SHOW_NOT_FOUND.format(post_id=post_id, hint=hint))


async def home_page(ctx: VerbContext, per_category: int = HOME_HEADLINES) -> HomePage:
    """The newest few posts in each category, the busiest categories first."""
    async with ctx.store.sessions() as session:
        names = list(await store.category_counts(session))[:HOME_CATEGORIES]
        groups = [
            Headlines(name, tuple(await store.latest_posts(session, per_category, name)))
            for name in names
        ]
    return HomePage(tuple(groups))


VERBS = (
    VerbSpec("latest", *messages.VERB_LATEST, handler=latest, shared=True),
    VerbSpec("categories", *messages.VERB_CATEGORIES, handler=categories, shared=True),
    VerbSpec("show", *messages.VERB_SHOW, handler=show, shared=True),
)

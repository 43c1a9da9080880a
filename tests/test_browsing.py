"""latest, categories, show and help over the sample posts, on SQLite and PostgreSQL."""

from pathlib import Path

from bot.news import commands
from bot.news.answers import CategoryTable, Help, Notice, PostCard, PostList, Problem
from bot.news.context import Asker, VerbContext
from bot.store import Store
from tests.support.factory import write_post
from tests.support.ingesting import ingest

ASKER = Asker("T1", "C1", "U1", surface="command")


async def ask(store: Store, text: str, offset: int = 0) -> object:
    return await commands.answer(VerbContext(store, ASKER, offset), text)


async def test_latest_lists_the_five_newest_first(sample_store: Store) -> None:
    answer = await ask(sample_store, "/news latest")
    assert isinstance(answer, PostList)
    dates = [post.published_at for post in answer.posts]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert answer.posts[0].id == "2026-11-20-chicago-2027-budget-vote"
    assert answer.page.more


async def test_latest_in_a_category_ignores_case_and_takes_a_count(sample_store: Store) -> None:
    answer = await ask(sample_store, "latest POLITICS 3")
    assert isinstance(answer, PostList)
    assert len(answer.posts) == 3
    assert all("Politics" in post.categories for post in answer.posts)
    assert answer.heading == "Latest in Politics"


async def test_latest_is_capped_and_pages_do_not_overlap(sample_store: Store) -> None:
    first = await ask(sample_store, "latest 500")
    assert isinstance(first, PostList) and len(first.posts) == 20
    second = await ask(sample_store, first.page.command, offset=20)
    assert isinstance(second, PostList) and len(second.posts) == 20 and second.page.more
    last = await ask(sample_store, first.page.command, offset=40)
    assert isinstance(last, PostList) and len(last.posts) == 5 and not last.page.more
    assert not {p.id for p in first.posts} & {p.id for p in second.posts}


async def test_latest_zero_says_it_shows_nothing(sample_store: Store) -> None:
    answer = await ask(sample_store, "/news latest 0")
    assert answer == Problem("`latest 0` asks for no posts: give a number from 1 to 20.")


async def test_another_apps_slash_command_is_not_searched_for(sample_store: Store) -> None:
    answer = await ask(sample_store, "/foo bar")
    assert answer == Problem(
        "newsbot has no `/foo` command; its command is `/news`: try `/news help`."
    )


async def test_a_mistyped_category_gets_a_suggestion(sample_store: Store) -> None:
    answer = await ask(sample_store, "latest politcs")
    assert answer == Problem("No category 'politcs'. Did you mean Politics?")


async def test_categories_have_counts_and_newest_dates(sample_store: Store) -> None:
    answer = await ask(sample_store, "categories")
    assert isinstance(answer, CategoryTable)
    politics = next(stat for stat in answer.categories if stat.name == "Politics")
    assert politics.count == 5
    assert politics.newest.date().isoformat() == "2026-11-20"


async def test_show_gives_one_card_and_full_adds_the_body(sample_store: Store) -> None:
    post_id = "2026-01-26-minneapolis-hits-back-at-ice"
    card = await ask(sample_store, f"show {post_id}")
    full = await ask(sample_store, f"show {post_id} full")
    assert isinstance(card, PostCard) and card.post.id == post_id and not card.full
    assert isinstance(full, PostCard) and full.full


async def test_show_with_an_unknown_id_suggests_similar_ones(sample_store: Store) -> None:
    answer = await ask(sample_store, "show minneapolis")
    assert isinstance(answer, Problem)
    assert "2026-01-26-minneapolis-hits-back-at-ice" in answer.text


async def test_empty_text_and_help_list_every_verb(sample_store: Store) -> None:
    for text in ("", "/news", "help"):
        answer = await ask(sample_store, text)
        assert isinstance(answer, Help)
        assert {"latest", "categories", "show"} <= {v.usage.split()[0] for v in answer.verbs}


async def test_a_mistyped_verb_gets_a_suggestion(sample_store: Store) -> None:
    answer = await ask(sample_store, "/news lates politics")
    assert isinstance(answer, Problem)
    assert "Did you mean `latest politics`?" in answer.text


async def test_an_empty_store_says_so(store: Store) -> None:
    answer = await ask(store, "categories")
    assert answer == CategoryTable(())
    assert await ask(store, "latest") == Notice("There are no posts yet.")


async def test_latest_keeps_each_post_categories_in_file_order(
    store: Store, posts_dir: Path
) -> None:
    """Categories come back with the posts in the same query; their order is the file's."""
    write_post(posts_dir, "many.md", title="Many", categories=["Zoology", "Arts", "Music"])
    write_post(posts_dir, "none.md", title="Older", date="2026-01-01 08:00:00")
    await ingest(store, [posts_dir])
    answer = await ask(store, "latest")
    assert isinstance(answer, PostList)
    assert [post.categories for post in answer.posts] == [
        ("Politics", "Zoology", "Arts", "Music"),
        ("Politics",),
    ]
    only_arts = await ask(store, "latest arts")
    assert isinstance(only_arts, PostList)
    assert [post.categories for post in only_arts.posts] == [
        ("Politics", "Zoology", "Arts", "Music")
    ]

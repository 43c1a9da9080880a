"""Search as people ask for it: the verb, free text, the next page, helpful empty answers, and
the Slack rendering of results, on SQLite and PostgreSQL."""

from pathlib import Path

from bot.news import commands
from bot.news.answers import Notice, Problem, SearchResults, SnippetPart
from bot.news.context import Asker, VerbContext
from bot.news.search.verbs import snippet_parts
from bot.slack import actions
from bot.slack.blocks import RenderOptions, render
from bot.slack.limits import check_message
from bot.store import Store
from tests.support.factory import write_post
from tests.support.ingesting import ingest

ASKER = Asker("T1", "D1", "U1", surface="dm")


async def ask(store: Store, text: str, offset: int = 0) -> object:
    return await commands.answer(VerbContext(store, ASKER, offset), text)


async def test_free_text_and_the_verb_both_search(sample_store: Store) -> None:
    typed = await ask(sample_store, "solar eclipse")
    verb = await ask(sample_store, "/news search solar eclipse")
    assert isinstance(typed, SearchResults) and isinstance(verb, SearchResults)
    assert typed.found[0].post.id == "2026-08-12-total-solar-eclipse-spain-iceland"
    assert verb.found == typed.found
    assert any(part.match and part.text.casefold() == "eclipse" for part in typed.found[0].snippet)


async def test_next_page_continues_where_the_first_ended(sample_store: Store) -> None:
    first = await ask(sample_store, "search the")
    assert isinstance(first, SearchResults) and len(first.found) == 5 and first.total > 10
    button = render(first).blocks[-1]["elements"][0]
    rerun = actions.Rerun.decode(button["value"])
    assert rerun == actions.Rerun("search the", 5)
    second = await ask(sample_store, rerun.command, rerun.offset)
    assert isinstance(second, SearchResults) and second.page.offset == 5
    assert not {f.post.id for f in first.found} & {f.post.id for f in second.found}


async def test_empty_results_say_which_filter_to_drop(sample_store: Store) -> None:
    answer = await ask(sample_store, "search vaccine category:politics")
    assert isinstance(answer, Notice)
    assert "Without category:politics there would be 5 results" in answer.text
    dates = await ask(sample_store, "search eclipse since:2026-10-01")
    assert isinstance(dates, Notice)
    assert "Without since:/until: there would be 1 result:" in dates.text


async def test_empty_results_suggest_a_category(sample_store: Store) -> None:
    answer = await ask(sample_store, "search sportz")
    assert isinstance(answer, Notice) and "try `latest Sports`" in answer.text
    nothing = await ask(sample_store, "search xylophonist")
    assert isinstance(nothing, Notice) and "browse a category: " in nothing.text


async def test_bad_filters_and_unknown_categories_are_explained(sample_store: Store) -> None:
    assert await ask(sample_store, "search rates category:busines") == Problem(
        "No category 'busines'. Did you mean Business?"
    )
    answer = await ask(sample_store, "search rates since:someday")
    assert isinstance(answer, Problem) and "since:7d" in answer.text


def test_snippet_parts_mark_matches_and_drop_markdown() -> None:
    parts = snippet_parts("## Heading\n* a \x02rate\x03 cut \x02Fed\x03's")
    assert parts == (
        SnippetPart("Heading a ", False),
        SnippetPart("rate", True),
        SnippetPart(" cut ", False),
        SnippetPart("Fed", True),
        SnippetPart("'s", False),
    )


async def test_one_result_is_counted_in_the_singular(sample_store: Store) -> None:
    answer = await ask(sample_store, "search eclipse")
    assert isinstance(answer, SearchResults) and answer.total == 1
    assert render(answer).text.startswith("1 result for eclipse: ")


async def test_results_render_inert_bold_and_within_limits(store: Store, posts_dir: Path) -> None:
    write_post(
        posts_dir,
        "hostile.md",
        title="<!channel> *alert*",
        body="Storm <!here> warning: see <https://evil.example|this> *storm* & flee.\n",
        tldr=["A storm <@U123> is *coming*."],
    )
    await ingest(store, [posts_dir])
    answer = await ask(store, "storm")
    assert isinstance(answer, SearchResults)
    message = render(answer, RenderOptions(shareable=True))
    shown = str(message.blocks) + message.text
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<!here>" not in shown
    assert "&lt;!channel&gt;" in shown
    assert "*storm*" in shown.casefold()
    assert check_message(message.payload()) == []

"""Posts written by ingestion's worker lanes are searchable exactly as posts written one at a
time: on PostgreSQL the lanes build a batch's search vectors before the batch's turn to write."""

from datetime import UTC, datetime
from pathlib import Path

from bot.news.answers import SearchResults
from bot.news.search.verbs import search
from bot.store import Store
from tests.support.factory import write_post
from tests.support.ingesting import ingest

NOW = datetime(2026, 10, 1, tzinfo=UTC)


def write_harbour_posts(directory: Path, count: int) -> None:
    for number in range(count):
        write_post(
            directory,
            f"2026-09-{number + 1:02d}-harbour-{number}.md",
            title=f"Harbour story {number}",
            category="Science" if number % 2 else "Politics",
            tldr=[f"The lighthouse keeper {number} retires."],
            body=f"The ferry timetable{number} changes again.\n",
            date=f"2026-09-{number + 1:02d} 09:00:00",
        )


async def found(store: Store, typed: str) -> SearchResults:
    answer = await search(store, typed, NOW, limit=20)
    assert isinstance(answer, SearchResults), answer
    return answer


async def test_posts_from_the_lanes_are_found_by_title_summary_body_and_filter(
    store: Store, posts_dir: Path
) -> None:
    write_harbour_posts(posts_dir, 12)
    report = await ingest(store, [posts_dir], processes_from=1, batch_size=5)  # three batches
    assert report.new == 12
    assert (await found(store, "harbour")).total == 12
    assert (await found(store, "lighthouse category:science")).total == 6
    [only] = (await found(store, "timetable3")).found
    assert only.post.title == "Harbour story 3"
    # The title outweighs a body-only mention: the post titled with the word comes first.
    write_post(posts_dir, "2026-09-20-ferry.md", title="Ferry news", date="2026-09-01 08:00:00")
    await ingest(store, [posts_dir], processes_from=1, batch_size=5)
    assert (await found(store, "ferry")).found[0].post.title == "Ferry news"


async def test_a_batch_with_two_files_claiming_one_post_keeps_the_first(
    store: Store, posts_dir: Path
) -> None:
    write_harbour_posts(posts_dir, 4)
    write_post(posts_dir / "copy", "2026-09-01-harbour-0.md", title="Ferry impostor")
    report = await ingest(store, [posts_dir], processes_from=1, batch_size=10)
    assert report.new == 4 and len(report.rejected) == 1
    assert not isinstance(await search(store, "impostor", NOW), SearchResults)
    assert (await found(store, "harbour")).total == 4

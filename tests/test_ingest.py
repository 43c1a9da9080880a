"""Ingestion on both engines: new, changed, unchanged and bad files, and what the store holds."""

import asyncio
import multiprocessing
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.news.ingest import scan
from bot.news.ingest.lane import BatchWriter
from bot.news.ingest.scan import IngestReport, ingest
from bot.news.ingest.turns import Turns
from bot.posts import Post, find_post_files, read_post
from bot.store import DatabaseError, FileStamp, Store, migrations, open_store
from bot.store.database import create_engine
from bot.store.post_writes import file_post_id, save_posts
from bot.store.posts import category_counts, latest_posts
from tests.conftest import SEED
from tests.support.factory import write_post


def counts(report: IngestReport) -> tuple[int, int, int, int]:
    return report.new, report.updated, report.unchanged, len(report.rejected)


async def newest_titles(store: Store, category: str | None = None) -> list[str]:
    async with store.sessions() as session:
        return [post.title for post in await latest_posts(session, 50, category)]


async def test_new_posts_are_stored_newest_first(store: Store, posts_dir: Path) -> None:
    shutil.copy(SEED, posts_dir)
    write_post(posts_dir, "2026-10-02-later.md", title="Later", date="2026-10-02 08:00:00")
    write_post(posts_dir / "nested", "2026-10-01-earlier.md", title="Earlier")
    report = await ingest(store, [posts_dir])
    assert counts(report) == (3, 0, 0, 0)
    titles = await newest_titles(store)
    assert titles[:2] == ["Later", "Earlier"] and titles[2].endswith("hits back at ICE")
    async with store.sessions() as session:
        [seed] = await latest_posts(session, 1, "news")
    assert seed.sources[0].url.startswith("https://www.minneapolismn.gov/")
    assert seed.published_at.isoformat() == "2026-01-26T06:41:07+00:00"


async def test_second_run_over_unchanged_directory_changes_nothing(
    store: Store, posts_dir: Path
) -> None:
    for day in range(1, 6):
        write_post(posts_dir, f"2026-10-0{day}-post.md", title=f"Post {day}")
    await ingest(store, [posts_dir])
    async with store.sessions() as session:
        before = await latest_posts(session, 10)
    report = await ingest(store, [posts_dir])
    assert counts(report) == (0, 0, 5, 0)
    async with store.sessions() as session:
        assert await latest_posts(session, 10) == before


async def test_edited_file_updates_its_post_and_categories(store: Store, posts_dir: Path) -> None:
    path = write_post(posts_dir, "2026-10-01-story.md", title="First draft", category="Politics")
    await ingest(store, [posts_dir])
    write_post(
        posts_dir,
        "2026-10-01-story.md",
        title="Final",
        category=None,
        categories=["World", "Health"],
    )
    report = await ingest(store, [posts_dir])
    assert counts(report) == (0, 1, 0, 0)
    assert await newest_titles(store) == ["Final"]
    assert await newest_titles(store, "politics") == []
    assert await newest_titles(store, "HEALTH") == ["Final"]
    async with store.sessions() as session:
        assert await category_counts(session) == {"Health": 1, "World": 1}
    assert path.exists()


async def test_touched_but_identical_file_counts_as_unchanged(
    store: Store, posts_dir: Path
) -> None:
    path = write_post(posts_dir, "2026-10-01-story.md")
    await ingest(store, [posts_dir])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert counts(await ingest(store, [posts_dir])) == (0, 0, 1, 0)
    assert counts(await ingest(store, [posts_dir])) == (0, 0, 1, 0)


async def test_bad_files_are_reported_and_the_rest_are_stored(
    store: Store, posts_dir: Path
) -> None:
    write_post(posts_dir, "2026-10-01-good.md", title="Good one")
    (posts_dir / "2026-10-02-no-front-matter.md").write_text("Just text.")
    (posts_dir / "2026-10-03-latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    write_post(posts_dir, "2026-10-04-good-too.md", title="Good two", sentiment_score=42, date=None)
    report = await ingest(store, [posts_dir])
    assert counts(report) == (2, 0, 0, 2)
    reasons = {Path(problem.path).name: problem.text for problem in report.rejected}
    assert "no front matter" in reasons["2026-10-02-no-front-matter.md"]
    assert "not UTF-8" in reasons["2026-10-03-latin1.md"]
    [warning] = report.warnings
    assert warning.path.endswith("2026-10-04-good-too.md") and "42" in warning.text
    assert await newest_titles(store) == ["Good two", "Good one"]
    # A rejected file is reported again on the next run, until it is fixed.
    again = await ingest(store, [posts_dir])
    assert counts(again) == (0, 0, 2, 2)


async def test_two_files_claiming_one_id_keep_the_first(store: Store, posts_dir: Path) -> None:
    write_post(posts_dir / "a", "2026-10-01-same.md", title="From a")
    write_post(posts_dir / "b", "2026-10-01-same.md", title="From b")
    report = await ingest(store, [posts_dir])
    assert counts(report) == (1, 0, 0, 1)
    assert "already taken by" in report.rejected[0].text
    assert str(posts_dir / "a") in report.rejected[0].text
    assert await newest_titles(store) == ["From a"]
    assert counts(await ingest(store, [posts_dir])) == (0, 0, 1, 1)


async def test_moved_file_keeps_its_post(store: Store, posts_dir: Path) -> None:
    path = write_post(posts_dir, "2026-10-01-wanderer.md", title="Wanderer")
    await ingest(store, [posts_dir])
    (posts_dir / "archive").mkdir()
    path.rename(posts_dir / "archive" / path.name)
    report = await ingest(store, [posts_dir])
    assert counts(report) == (0, 0, 1, 0)
    assert await newest_titles(store) == ["Wanderer"]
    assert counts(await ingest(store, [posts_dir])) == (0, 0, 1, 0)


async def test_missing_path_is_reported_and_others_still_ingested(
    store: Store, posts_dir: Path, tmp_path: Path
) -> None:
    one = write_post(posts_dir, "2026-10-01-one.md", title="One")
    report = await ingest(store, [tmp_path / "nowhere", one])
    assert counts(report) == (1, 0, 0, 1)
    assert report.rejected[0].text == "cannot read: No such file or directory"


async def test_progress_is_reported_up_to_the_total(store: Store, posts_dir: Path) -> None:
    for day in range(1, 10):
        write_post(posts_dir, f"2026-09-0{day}-post.md", title=f"Post {day}")
    seen: list[tuple[int, int]] = []
    await ingest(store, [posts_dir], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (9, 9)


async def test_worker_processes_give_the_same_result_as_threads(
    store: Store, posts_dir: Path
) -> None:
    for day in range(1, 10):
        write_post(posts_dir, f"2026-09-0{day}-post.md", title=f"Post {day}", date=None)
    (posts_dir / "2026-09-10-bad.md").write_text("---\ntitle: [\n---\n")
    write_post(posts_dir / "copy", "2026-09-01-post.md", title="Same id as Post 1")
    report = await ingest(store, [posts_dir], processes_from=1)
    assert counts(report) == (9, 0, 0, 2)
    assert {Path(p.path).name for p in report.rejected} == {
        "2026-09-10-bad.md",
        "2026-09-01-post.md",
    }
    assert (await newest_titles(store))[0] == "Post 9"
    write_post(posts_dir, "2026-09-02-post.md", title="Post 2, corrected")
    again = await ingest(store, [posts_dir], processes_from=1)
    assert counts(again) == (0, 1, 8, 2)


async def test_a_re_scan_walked_by_several_processes_finds_every_change(
    store: Store, posts_dir: Path
) -> None:
    for day in range(1, 10):
        write_post(posts_dir / f"day{day}", f"2026-09-0{day}-post.md", title=f"Post {day}")
    write_post(posts_dir, "2026-08-31-wanderer.md", title="Wanderer")
    await ingest(store, [posts_dir])
    write_post(posts_dir / "day2", "2026-09-02-post.md", title="Post 2, corrected")
    (posts_dir / "day3" / "2026-09-03-post.md").unlink()
    (posts_dir / "2026-08-31-wanderer.md").rename(posts_dir / "day9" / "2026-08-31-wanderer.md")
    write_post(posts_dir / "day4", "2026-09-10-post.md", title="Post 10")
    report = await ingest(store, [posts_dir], shared_walk_from=1)
    assert (counts(report), report.removed) == ((1, 1, 8, 0), 1)
    titles = set(await newest_titles(store))
    assert titles == {f"Post {day}" for day in (1, 4, 5, 6, 7, 8, 9, 10)} | {
        "Post 2, corrected",
        "Wanderer",
    }
    assert counts(await ingest(store, [posts_dir], shared_walk_from=1)) == (0, 0, 10, 0)


def write_varied_posts(directory: Path, edition: str) -> None:
    shutil.copy(SEED, directory)
    write_post(
        directory,
        "2026-10-02-plain.md",
        title=f"Café “quotes” & <tags> {edition}",
        categories=["World", "Health"],
        date="2026-10-02 08:00:00 +0900",
        source_url=None,
        sentiment_score=None,
        sentiment_label=None,
    )
    write_post(directory, "2026-10-03-bare.md", body=f"No sources {edition}.", tldr="One bullet")


async def stored_posts(store: Store) -> dict[str, Post]:
    async with store.sessions() as session:
        return {post.id: post for post in await latest_posts(session, 50)}


def parsed_posts(directory: Path) -> dict[str, Post]:
    return {post.id: post for post in (read_post(p).post for p in directory.glob("*.md"))}


async def test_stored_posts_read_back_exactly_as_parsed_when_new_and_when_updated(
    store: Store, posts_dir: Path
) -> None:
    write_varied_posts(posts_dir, "first")
    assert counts(await ingest(store, [posts_dir], processes_from=1)) == (3, 0, 0, 0)
    assert await stored_posts(store) == parsed_posts(posts_dir)
    write_varied_posts(posts_dir, "second")
    assert counts(await ingest(store, [posts_dir])) == (0, 2, 1, 0)
    assert await stored_posts(store) == parsed_posts(posts_dir)


async def test_saving_posts_replaces_a_post_with_the_same_id(store: Store, posts_dir: Path) -> None:
    first = read_post(write_post(posts_dir, "2026-10-01-a.md", title="First")).post
    second = read_post(write_post(posts_dir, "2026-10-01-a.md", categories=["X", "Y"])).post
    stamp = FileStamp(str(posts_dir / "2026-10-01-a.md"), first.id, 1, 1, first.content_hash)
    for post in (first, second):
        async with store.sessions.begin() as session:
            await save_posts(session, [(post, stamp)])
    assert await stored_posts(store) == {second.id: second}


async def test_worker_processes_exit_once_an_ingest_has_finished(
    store: Store, posts_dir: Path
) -> None:
    for day in range(1, 5):
        write_post(posts_dir, f"2026-09-0{day}-post.md", title=f"Post {day}", date=None)
    report = await ingest(store, [posts_dir], processes_from=1, batch_size=1)
    assert counts(report) == (4, 0, 0, 0)
    # The ingest returns once its processes have exited and been reaped: none lingers, and none
    # is left for the pool's thread to reap later, racing whoever else waits for children.
    assert multiprocessing.active_children() == []
    assert await newest_titles(store) == [f"Post {day}" for day in range(4, 0, -1)]


async def test_batches_written_by_several_workers_keep_the_order_of_the_files(
    store: Store, posts_dir: Path
) -> None:
    for day in range(1, 10):
        write_post(posts_dir / "a", f"2026-09-0{day}-post.md", title=f"Post {day}", date=None)
    write_post(posts_dir / "b", "2026-09-03-post.md", title="Same id as Post 3", date=None)
    write_post(posts_dir / "c", "2026-09-08-post.md", title="Same id as Post 8", date=None)
    # Two files a batch: six batches, shared by a worker thread and a worker process.
    report = await ingest(store, [posts_dir], processes_from=1, batch_size=2)
    assert counts(report) == (9, 0, 0, 2)
    rejected = sorted(str(Path(p.path).relative_to(posts_dir)) for p in report.rejected)
    assert rejected == ["b/2026-09-03-post.md", "c/2026-09-08-post.md"]
    assert await newest_titles(store) == [f"Post {day}" for day in range(9, 0, -1)]

    # A moved file takes its post along; the files that lost stay rejected.
    moved = posts_dir / "d" / "2026-09-05-post.md"
    moved.parent.mkdir()
    (posts_dir / "a" / "2026-09-05-post.md").rename(moved)
    again = await ingest(store, [posts_dir], processes_from=1, batch_size=2)
    assert counts(again) == (0, 0, 9, 2)
    async with store.sessions() as session:
        assert await file_post_id(session, str(moved)) == "2026-09-05-post"
        assert await file_post_id(session, str(posts_dir / "a" / "2026-09-05-post.md")) is None


async def test_a_first_ingest_of_many_files_is_written_by_the_lanes(
    store: Store, posts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing stored the walk hands batches on as it goes, and starts the lanes once it
    has found enough files: the batches then go to the lanes, not to the small job's path
    (which the first ingest used to take, the lanes started but idle)."""

    def small_job(*_: object) -> None:
        raise AssertionError("a large first ingest was written without its lanes")

    monkeypatch.setattr(scan, "read_ahead", small_job)
    for day in range(1, 10):
        write_post(posts_dir, f"2026-09-0{day}-post.md", title=f"Post {day}", date=None)
    report = await ingest(store, [posts_dir], processes_from=1, batch_size=2)
    assert counts(report) == (9, 0, 0, 0)
    assert await newest_titles(store) == [f"Post {day}" for day in range(9, 0, -1)]


async def test_a_batch_written_by_a_lane_reaches_the_sqlite_file_itself(
    sqlite_url: str, posts_dir: Path, tmp_path: Path
) -> None:
    """A lane copies SQLite's log back into the database after its turn, so the log does not
    grow for the length of a large ingest: the database file alone, read without its log while
    the lane's connection is still open, holds the batch."""
    engine = create_engine(sqlite_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    for day in range(1, 7):
        write_post(posts_dir, f"2026-09-0{day}-post.md", title=f"Post {day}", date=None)
    writer = BatchWriter(sqlite_url, Turns(multiprocessing.get_context("spawn")))
    try:
        files = list(find_post_files(posts_dir))
        report = await asyncio.to_thread(writer.read_and_write, 0, files, {})
        alone = tmp_path / "without-its-log.db"
        shutil.copyfile(tmp_path / "newsbot.db", alone)
    finally:
        writer.close()
    assert counts(report) == (6, 0, 0, 0)
    with closing(sqlite3.connect(alone)) as database:
        assert database.execute("SELECT count(*) FROM posts").fetchone() == (6,)


async def test_a_first_ingest_that_fails_midway_stops_and_the_next_one_stores_everything(
    sqlite_url: str, posts_dir: Path
) -> None:
    """A first ingest hands batches to the lanes while the tree is still walked: when a batch
    cannot be written the ingest ends with the error (the walk stops, nothing waits forever),
    and a later ingest stores every post."""
    for day in range(1, 10):
        write_post(posts_dir / f"d{day}", f"2026-09-0{day}-post.md", title=f"Post {day}")
    engine = create_engine(sqlite_url)
    await migrations.upgrade(engine)
    await engine.dispose()
    refuse = (
        "CREATE TRIGGER refuse BEFORE INSERT ON post_files WHEN NEW.path LIKE '%/d5/%' "
        "BEGIN SELECT RAISE(ABORT, 'disk refused'); END"
    )
    with closing(sqlite3.connect(sqlite_url.split("///", 1)[1])) as connection:
        connection.execute(refuse)
        connection.commit()
    store = await open_store(sqlite_url)
    try:
        failing = ingest(store, [posts_dir], processes_from=1, batch_size=2)
        with pytest.raises(DatabaseError, match="disk refused"):
            await asyncio.wait_for(failing, 300)  # a guard against a hang, not a timing
        with closing(sqlite3.connect(sqlite_url.split("///", 1)[1])) as connection:
            connection.execute("DROP TRIGGER refuse")
            connection.commit()
        report = await ingest(store, [posts_dir], processes_from=1, batch_size=2)
        assert not report.rejected
        assert sorted(await newest_titles(store)) == [f"Post {day}" for day in range(1, 10)]
    finally:
        await store.close()

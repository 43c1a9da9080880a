"""Web feeds as sources, served by a local aiohttp server from real-world-like fixtures, on
SQLite and PostgreSQL: RSS 2.0, Atom and JSON Feed become posts; an entry keeps its post by its
id (or link) however it is edited; conditional requests; and every bad answer is one clear line
while the other sources go on."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.news.ingest.gate import IngestGate
from bot.news.sources import manage
from bot.news.sources.documents import FetchError
from bot.news.sources.runner import Busy, RunnerSettings, SourceRunner
from bot.news.sources.sync import SourcePlaces, SyncResult
from bot.posts import Post
from bot.runtime.feed_http import Limits, fetch_document
from bot.store import Store
from bot.store.posts import latest_posts
from tests.support.delivery_helpers import until
from tests.support.sources import FeedServer, runner_for, sync_one


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def places(tmp_path: Path) -> SourcePlaces:
    return SourcePlaces(tmp_path / "sources")


@pytest.fixture
def runner(store: Store, places: SourcePlaces) -> SourceRunner:
    return runner_for(store, places)


async def posts(store: Store) -> dict[str, Post]:
    async with store.sessions() as session:
        return {post.title: post for post in await latest_posts(session, 100)}


async def test_an_rss_feed_becomes_posts(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    url = feeds.serve("gazette", "wordpress-rss2.xml")
    source = await manage.add_feed(store, url, None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error is None and result.report is not None
    assert result.report.new == 2
    stored = await posts(store)
    ferry = stored["Ferry timetable changes for the winter season"]
    assert ferry.source_url == "https://gazette.example.org/2026/12/05/ferry-timetable-winter/"
    assert ferry.categories == ("Transport", "Harbour")
    assert ferry.published_at.isoformat() == "2026-12-05T17:45:00+00:00"
    assert ferry.tldr == (
        "The morning ferry will leave twenty minutes later from Monday.",
        "The evening crossing is unchanged.",
    )
    assert "**morning ferry**" in ferry.body and "alert" not in ferry.body  # scripts dropped
    # A relative link in the content is made absolute, against the feed's address.
    assert f"({feeds.url}/timetables/winter-2026.pdf)" in ferry.body
    wall = stored["Council approves new <harbour wall> & promenade"]  # text, not markup
    assert wall.categories == ("Politics",)


async def test_an_edited_entry_updates_its_post_and_is_never_a_new_one(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    url = feeds.serve("gazette", "wordpress-rss2.xml")
    source = await manage.add_feed(store, url, None)
    await sync_one(runner, source.id)
    before = await posts(store)
    feeds.serve("gazette", "wordpress-rss2-edited.xml")
    result = await sync_one(runner, source.id)
    assert result.report is not None
    assert (result.report.new, result.report.updated) == (0, 1)
    after = await posts(store)
    edited = after["Ferry timetable changes for the winter season (updated)"]
    assert edited.id == before["Ferry timetable changes for the winter season"].id
    assert edited.tldr[0] == "The morning ferry will leave thirty minutes later from Monday."
    assert len(after) == 2


async def test_an_unchanged_feed_is_asked_for_conditionally(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    url = feeds.serve("gazette", "wordpress-rss2.xml")
    source = await manage.add_feed(store, url, None)
    await sync_one(runner, source.id)
    again = await sync_one(runner, source.id)
    assert again.fetched.error is None and again.report is None  # 304: nothing to read
    first_etag, second_etag = (asked for _, asked in feeds.requests)
    assert first_etag is None and second_etag is not None
    [listed] = await manage.list_sources(store)
    assert listed.posts == 2 and not listed.failing


async def test_atom_and_json_feed_with_odd_dates_relative_links_and_category(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    atom = await manage.add_feed(
        store, feeds.serve("atom", "atom.xml", "application/atom+xml"), None
    )
    wire = feeds.serve("wire", "json-feed.json", "application/feed+json")
    json_source = await manage.add_feed(store, wire, "Markets")
    for source in (atom, json_source):
        assert (await sync_one(runner, source.id)).fetched.error is None
    stored = await posts(store)
    moons = stored["Telescope finds three new moons"]  # an HTML title, read as text
    assert moons.source_url == "https://science.example.com/blog/posts/three-moons"
    assert moons.published_at.isoformat() == "2026-12-02T23:30:00+00:00"  # +09:00 in the feed
    assert moons.categories == ("Science", "Space")
    assert "evil.example" not in moons.body  # the iframe is gone
    assert stored["An entry with only an update time"].published_at.day == 1
    rates = stored["Central bank holds rates at 3.5%"]
    assert rates.categories == ("Markets",)  # --category wins over the feed's tags
    assert "(https://wire.example.com/2026/12/02/rates#chart)" in rates.body
    oil = stored["Oil <script>alert(1)</script> falls"]  # JSON Feed titles are text
    assert oil.source_url == "https://wire.example.com/2026/12/01/oil"  # relative, resolved


async def test_entries_without_title_link_or_identity_each_get_one_line(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    source = await manage.add_feed(store, feeds.serve("radio", "no-guids-rss2.xml"), None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error is None
    assert result.problems == (
        "entry '(untitled)' has neither an id nor a link, so it was skipped",
        "entry 'Schedule for the weekend' has no link; its card has no Read source button",
    )
    stored = await posts(store)
    assert set(stored) == {
        "Road closed after landslide near Brekke",
        "Café reopens after the flood",
        "Schedule for the weekend",
    }
    assert stored["Road closed after landslide near Brekke"].source_url == (
        f"{feeds.url}/news/2026/landslide-brekke.html"
    )
    [listed] = await manage.list_sources(store)
    assert listed.last_warning == (
        "entry '(untitled)' has neither an id nor a link, so it was skipped (and 1 more)"
    )


@pytest.mark.parametrize(
    ("path", "fixture", "error"),
    [
        (
            "page",
            "webpage.html",
            "the URL is a web page (HTML), not a feed: give the address of its RSS or Atom feed",
        ),
        (
            "broken",
            "malformed.xml",
            "the feed is not well-formed XML (<unknown>:3:0: no element found)",
        ),
        ("huge", None, "the feed is larger than 10 MB; not read"),
        (
            "to-file",
            None,
            "the feed redirected to 'file:///etc/passwd', which is not an http(s) URL; "
            "not followed",
        ),
        ("missing", None, "the feed answered HTTP 404 Not Found"),
    ],
)
async def test_a_bad_feed_fails_with_one_line_and_backs_off(
    store: Store,
    feeds: FeedServer,
    runner: SourceRunner,
    path: str,
    fixture: str | None,
    error: str,
) -> None:
    if fixture is not None:
        feeds.serve(path, fixture, "text/html" if fixture.endswith("html") else "application/xml")
    source = await manage.add_feed(store, f"{feeds.url}/{path}", None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error == error
    [listed] = await manage.list_sources(store)
    assert listed.last_error == error and listed.failures == 1
    await sync_one(runner, source.id)  # fails again: waits twice as long before the next try
    [again] = await manage.list_sources(store)
    assert again.failures == 2 and again.last_fetch_at and again.next_fetch_at
    assert again.next_fetch_at - again.last_fetch_at == 2 * runner.settings.interval


async def test_an_unreachable_feed_and_a_redirect_followed(
    store: Store, feeds: FeedServer, runner: SourceRunner
) -> None:
    feeds.serve("gazette", "wordpress-rss2.xml")
    moved = await manage.add_feed(store, f"{feeds.url}/moved/gazette", None)
    gone = await manage.add_feed(store, "http://127.0.0.1:9/feed.xml", None)
    first, second = await runner.sync_now([moved.id, gone.id])
    assert isinstance(first, SyncResult) and isinstance(second, SyncResult)
    assert first.fetched.error is None and first.report is not None and first.report.new == 2
    assert second.fetched.error is not None
    assert second.fetched.error.startswith("cannot reach the feed:")


async def test_a_stalled_feed_never_delays_the_others(
    store: Store, feeds: FeedServer, places: SourcePlaces
) -> None:
    feeds.serve("gazette", "wordpress-rss2.xml")
    feeds.serve("wire", "json-feed.json", "application/feed+json")
    await manage.add_feed(store, f"{feeds.url}/stalled/gazette", None)
    await manage.add_feed(store, f"{feeds.url}/wire", None)
    runner = SourceRunner(
        store, IngestGate(store), places, fetch_document, RunnerSettings(poll_seconds=0.05)
    )
    task = asyncio.create_task(runner.run())
    try:
        await until(lambda: _has(store, "Central bank holds rates at 3.5%"))
        assert feeds.stalled.is_set() and not feeds.release.is_set()
        feeds.release.set()
        await until(lambda: _has(store, "Ferry timetable changes for the winter season"))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _has(store: Store, title: str) -> bool:
    return title in await posts(store)


async def test_a_source_one_replica_is_fetching_is_left_to_it(
    store: Store, feeds: FeedServer, places: SourcePlaces
) -> None:
    feeds.serve("gazette", "wordpress-rss2.xml")
    source = await manage.add_feed(store, f"{feeds.url}/stalled/gazette", None)
    one, two = (SourceRunner(store, IngestGate(store), places, fetch_document) for _ in "12")
    first = asyncio.create_task(one.sync_now([source.id]))
    await feeds.stalled.wait()
    assert await two.sync_now([source.id]) == [Busy(source.id)]
    feeds.release.set()
    [done] = await first
    assert isinstance(done, SyncResult) and done.fetched.error is None


async def test_a_feed_that_never_answers_is_given_up_after_the_timeout(feeds: FeedServer) -> None:
    feeds.serve("gazette", "wordpress-rss2.xml")
    with pytest.raises(FetchError) as raised:
        await fetch_document(f"{feeds.url}/stalled/gazette", None, None, Limits(timeout=0.2))
    assert str(raised.value) == "the feed did not answer within 0.2 seconds"

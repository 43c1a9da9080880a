"""``newsbot sources`` as an operator runs it (real processes, a real SQLite file, real git and
a real feed server), and what people see of sources in Slack through ``newsbot ask``: every bad
input is one line, and a failed sync exits 1 saying why."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.newsbot_process import Finished, run_newsbot
from tests.support.sources import FeedServer, GitRepo


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    return tmp_path


async def newsbot(workdir: Path, *args: str) -> Finished:
    return await run_newsbot(workdir, *args, DATABASE_URL=f"sqlite:///{workdir / 'newsbot.db'}")


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("add", "feed", "ftp://example.org/feed"),
            "'ftp://example.org/feed' is not a feed URL: use an http:// or https:// address",
        ),
        (
            ("add", "git", "example.org/site"),
            "'example.org/site' is not a git URL newsbot can fetch: use https://, ssh://, "
            "git@host:path or file://",
        ),
        (
            ("add", "git", "https://example.org/site.git", "--path", "../../etc"),
            "'../../etc' is not a folder inside the repository: give a relative path like _posts",
        ),
        (("remove", "4"), "There is no source 4; 'newsbot sources list' shows them."),
        (("sync", "4"), "There is no source 4; 'newsbot sources list' shows them."),
    ],
)
async def test_bad_input_is_one_line(workdir: Path, args: tuple[str, ...], error: str) -> None:
    done = await newsbot(workdir, "sources", *args)
    assert (done.status, lines(done.stderr), done.stdout) == (1, [error], "")


async def test_add_sync_list_and_remove_a_git_source(workdir: Path) -> None:
    repo = GitRepo(workdir / "site")
    repo.post("2026-12-01-harbour-wall.md", title="Harbour wall approved")
    repo.commit("a post")
    added = await newsbot(workdir, "sources", "add", "git", repo.url, "--branch", "main")
    assert lines(added.stdout) == [
        f"Added source 1: git {repo.url}. Run 'newsbot sources sync 1' to fetch it now."
    ]
    synced = await newsbot(workdir, "sources", "sync")
    assert synced.status == 0, synced.stderr
    assert lines(synced.stdout) == [f"source 1 (git {repo.url}): 1 new, 0 updated, 0 unchanged"]
    listed = lines((await newsbot(workdir, "sources", "list")).stdout)
    assert listed[0].split() == ["ID", "KIND", "URL", "LAST", "FETCH", "POSTS", "HEALTH"]
    assert listed[1].split()[:3] == ["1", "git", repo.url]
    assert listed[1].split()[-2:] == ["1", "ok"]
    assert listed[2] == "The posts directory (posts) is read as well, as always."
    latest = await newsbot(workdir, "latest")
    assert "Harbour wall approved" in latest.stdout
    removed = await newsbot(workdir, "sources", "remove", "1")
    assert lines(removed.stdout) == [
        f"Removed source 1 (git {repo.url}); the posts it brought stay in the store."
    ]
    assert not (workdir / "sources" / "git-1").exists()


async def test_a_failed_sync_exits_1_saying_why_and_the_others_go_on(
    workdir: Path, feeds: FeedServer
) -> None:
    feeds.serve("page", "webpage.html", "text/html")
    feeds.serve("gazette", "wordpress-rss2.xml")
    await newsbot(workdir, "sources", "add", "feed", f"{feeds.url}/page")
    await newsbot(workdir, "sources", "add", "feed", f"{feeds.url}/huge")
    await newsbot(workdir, "sources", "add", "feed", f"{feeds.url}/gazette", "--category", "News")
    synced = await newsbot(workdir, "sources", "sync")
    assert synced.status == 1
    assert lines(synced.stdout) == [
        f"source 1 (feed {feeds.url}/page) failed: the URL is a web page (HTML), not a feed: "
        "give the address of its RSS or Atom feed",
        f"source 2 (feed {feeds.url}/huge) failed: the feed is larger than 10 MB; not read",
        f"source 3 (feed {feeds.url}/gazette): 2 new, 0 updated, 0 unchanged",
    ]
    assert synced.stderr == ""
    one = await newsbot(workdir, "sources", "sync", "3")
    assert (one.status, lines(one.stdout)) == (
        0,
        [f"source 3 (feed {feeds.url}/gazette): not modified since the last fetch"],
    )


async def test_slack_shows_sources_and_a_source_that_keeps_failing(
    workdir: Path, feeds: FeedServer
) -> None:
    feeds.serve("gazette", "wordpress-rss2.xml")
    await newsbot(workdir, "sources", "add", "feed", f"{feeds.url}/gazette")
    await newsbot(workdir, "sources", "add", "feed", f"{feeds.url}/gone")
    for _ in range(3):  # three failures in a row: it keeps failing
        await newsbot(workdir, "sources", "sync")
    listing = (await newsbot(workdir, "ask", "/news sources")).stdout
    assert f"*1* feed {feeds.url}/gazette: ok · 2 posts" in listing
    assert f"*2* feed {feeds.url}/gone: failing since" in listing
    assert "the feed answered HTTP 404 Not Found · 0 posts" in listing
    status = (await newsbot(workdir, "ask", "/news status")).stdout
    assert "Sources that keep failing" in status
    assert f"*2* feed {feeds.url}/gone" in status
    assert f"{feeds.url}/gazette" not in status

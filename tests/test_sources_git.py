"""A git repository of posts as a source, on SQLite and PostgreSQL: cloned shallow, followed
commit by commit (added, edited, moved and deleted posts), re-cloned after a force-push, over
``file://`` and smart HTTP; a missing folder or an unreachable URL is one clear line, without
the credentials in the URL."""

from pathlib import Path

import pytest
from pytest import MonkeyPatch

from bot.news.sources import manage
from bot.news.sources.runner import SourceRunner
from bot.news.sources.sync import SourcePlaces
from bot.store import Store
from bot.store.posts import latest_posts, posts_by_id
from tests.support.sources import GitHttpServer, GitRepo, runner_for, sync_one

DAY = "2026-12-0"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "upstream" / "site.git")
    repo.post(f"{DAY}1-harbour-wall.md", title="Harbour wall approved", category="Politics")
    repo.post(f"{DAY}2-ferry-times.md", title="Ferry times change", category="Transport")
    repo.post(f"{DAY}3-old-news.md", title="Old news", category="Politics")
    (repo.path / "README.md").write_text("# The site\n")  # outside _posts: not a post
    repo.commit("three posts")
    return repo


@pytest.fixture
def places(tmp_path: Path) -> SourcePlaces:
    return SourcePlaces(tmp_path / "sources")


@pytest.fixture
def runner(store: Store, places: SourcePlaces) -> SourceRunner:
    return runner_for(store, places)


async def titles(store: Store) -> dict[str, str]:
    async with store.sessions() as session:
        return {post.id: post.title for post in await latest_posts(session, 100)}


async def test_a_repository_brings_its_posts_and_follows_each_commit(
    store: Store, repo: GitRepo, runner: SourceRunner, places: SourcePlaces
) -> None:
    source = await manage.add_git(store, repo.url, "main", None)
    first = await sync_one(runner, source.id)
    assert first.fetched.error is None and first.report is not None
    assert first.report.new == 3
    assert await titles(store) == {
        f"{DAY}1-harbour-wall": "Harbour wall approved",
        f"{DAY}2-ferry-times": "Ferry times change",
        f"{DAY}3-old-news": "Old news",
    }

    repo.post(f"{DAY}1-harbour-wall.md", title="Harbour wall approved, with changes")
    repo.post(f"{DAY}4-new-bridge.md", title="New bridge opens", category="Transport")
    (repo.path / "_posts" / "2026").mkdir()
    repo.git("mv", f"_posts/{DAY}2-ferry-times.md", f"_posts/2026/{DAY}2-ferry-times.md")
    repo.git("rm", "--quiet", f"_posts/{DAY}3-old-news.md")
    repo.commit("edit one, add one, move one, delete one")

    second = await sync_one(runner, source.id)
    assert second.report is not None
    assert (second.report.new, second.report.updated) == (1, 1)
    now = await titles(store)
    assert now[f"{DAY}1-harbour-wall"] == "Harbour wall approved, with changes"
    assert now[f"{DAY}4-new-bridge"] == "New bridge opens"
    assert now[f"{DAY}2-ferry-times"] == "Ferry times change"  # moved, same post
    # The deleted post's file is gone from the working copy newsbot reads.
    assert not (places.posts_root(source) / f"{DAY}3-old-news.md").exists()
    async with store.sessions() as session:
        moved = (await posts_by_id(session, [f"{DAY}2-ferry-times"]))[f"{DAY}2-ferry-times"]
    assert moved.title == "Ferry times change"


async def test_a_post_deleted_upstream_leaves_the_store(
    store: Store, repo: GitRepo, runner: SourceRunner
) -> None:
    source = await manage.add_git(store, repo.url, None, None)
    await sync_one(runner, source.id)
    repo.git("rm", "--quiet", f"_posts/{DAY}3-old-news.md")
    repo.commit("delete one")
    await sync_one(runner, source.id)
    assert f"{DAY}3-old-news" not in await titles(store)


async def test_a_force_push_is_followed_by_cloning_again(
    store: Store, repo: GitRepo, runner: SourceRunner
) -> None:
    source = await manage.add_git(store, repo.url, "main", None)
    await sync_one(runner, source.id)
    repo.post(f"{DAY}1-harbour-wall.md", title="Harbour wall: rewritten history")
    repo.rewrite_last("history rewritten")
    result = await sync_one(runner, source.id)
    assert result.fetched.error is None
    assert (await titles(store))[f"{DAY}1-harbour-wall"] == "Harbour wall: rewritten history"


async def test_a_repository_over_smart_http(
    store: Store, repo: GitRepo, runner: SourceRunner
) -> None:
    server = GitHttpServer(repo.path.parent)
    await server.start()
    try:
        source = await manage.add_git(store, f"{server.url}/site.git", None, "_posts")
        result = await sync_one(runner, source.id)
        assert result.fetched.error is None
        assert len(await titles(store)) == 3
        repo.post(f"{DAY}5-over-http.md", title="Fetched over HTTP")
        repo.commit("one more")
        await sync_one(runner, source.id)
        assert (await titles(store))[f"{DAY}5-over-http"] == "Fetched over HTTP"
    finally:
        await server.close()


async def test_a_repository_without_the_folder_says_so(
    store: Store, repo: GitRepo, runner: SourceRunner
) -> None:
    source = await manage.add_git(store, repo.url, None, "content/posts")
    result = await sync_one(runner, source.id)
    assert result.fetched.error == (
        "the repository has no folder 'content/posts' on the default branch; set it with --path"
    )
    [listed] = await manage.list_sources(store)
    assert listed.last_error == result.fetched.error and listed.failures == 1
    assert not await titles(store)


async def test_an_unreachable_repository_fails_without_showing_its_credentials(
    store: Store, runner: SourceRunner
) -> None:
    url = "https://newsbot:s3cr3t-token@127.0.0.1:9/site.git"
    source = await manage.add_git(store, url, None, None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error is not None
    assert result.fetched.error.startswith("git clone failed:")
    assert "s3cr3t" not in result.fetched.error
    [listed] = await manage.list_sources(store)
    assert "s3cr3t" not in (listed.last_error or "")


async def test_a_bad_post_in_the_repository_is_reported_and_the_rest_read(
    store: Store, repo: GitRepo, runner: SourceRunner
) -> None:
    (repo.path / "_posts" / f"{DAY}6-broken.md").write_text("no front matter here\n")
    repo.commit("a broken post")
    source = await manage.add_git(store, repo.url, None, None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error is None
    assert result.problems == (
        f"{DAY}6-broken.md: no front matter: a post must start with a '---' line, then YAML, "
        "then '---'",
    )
    assert len(await titles(store)) == 3


async def test_an_ssh_url_goes_through_the_operators_ssh_command(
    store: Store, repo: GitRepo, runner: SourceRunner, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    # A stand-in for ssh that runs the remote command (git-upload-pack) on this machine, as
    # sshd would on the server: it proves the URL reaches git as ssh, with the operator's
    # GIT_SSH_COMMAND (their keys and options) respected.
    fake_ssh = tmp_path / "fake-ssh"
    fake_ssh.write_text('#!/bin/sh\nwhile [ $# -gt 1 ]; do shift; done\nexec sh -c "$1"\n')
    fake_ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(fake_ssh))
    source = await manage.add_git(store, f"ssh://git@newsroom.invalid{repo.path}", None, None)
    result = await sync_one(runner, source.id)
    assert result.fetched.error is None
    assert len(await titles(store)) == 3

"""What a re-scan reads of the stored files, on both engines, straight from the driver: the
same keys the walk makes for unchanged files, the full stamps of the others, and SQLAlchemy's
errors when the database fails."""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.posts import find_post_files
from bot.store import DatabaseError, FileStamp, Store, known_files
from bot.store.known_files import stat_key
from tests.support.factory import write_post
from tests.support.ingesting import ingest


async def test_stored_keys_are_the_walk_s_keys_of_the_stored_files(
    store: Store, posts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known_files, "STAMPS_PER_PIECE", 2)  # read in pieces, to the last row
    for day in range(1, 6):
        write_post(posts_dir / "nested", f"2026-10-0{day}-post.md", title=f"Post {day}")
    await ingest(store, [posts_dir])
    walked = {hash(file) for file in find_post_files(posts_dir)}
    assert len(walked) == 5
    assert {stat_key(*file) for file in find_post_files(posts_dir)} == walked
    async with store.sessions() as session:
        assert await known_files.stored_keys(session) == walked


async def test_stamps_are_read_for_the_keys_asked_only(
    store: Store, posts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known_files, "STAMPS_PER_PIECE", 2)
    paths = [write_post(posts_dir, f"2026-10-0{day}-post.md", title=f"{day}") for day in (1, 2, 3)]
    await ingest(store, [posts_dir])
    async with store.sessions() as session:
        every = await known_files.stamps_with_keys(session, await known_files.stored_keys(session))
        stat = paths[2].stat()
        key = stat_key(str(paths[2]), stat.st_size, stat.st_mtime_ns)
        assert await known_files.stamps_with_keys(session, {key}) == {
            str(paths[2]): every[str(paths[2])]
        }
    assert sorted(every) == [str(path) for path in paths]
    stamp = every[str(paths[2])]
    assert isinstance(stamp, FileStamp)
    assert (stamp.path, stamp.size, stamp.mtime_ns) == (
        str(paths[2]),
        stat.st_size,
        stat.st_mtime_ns,
    )


async def test_a_file_edited_to_the_same_size_is_found_by_its_time(
    store: Store, posts_dir: Path
) -> None:
    path = write_post(posts_dir, "2026-10-01-story.md", title="Draft A")
    await ingest(store, [posts_dir])
    before = path.stat()
    write_post(posts_dir, "2026-10-01-story.md", title="Draft B")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == before.st_size
    report = await ingest(store, [posts_dir])
    assert (report.new, report.updated, report.unchanged) == (0, 1, 0)


async def test_a_failing_read_raises_sqlalchemy_s_error(store: Store) -> None:
    async with store.sessions.begin() as session:
        await session.execute(text("ALTER TABLE post_files RENAME TO post_files_away"))
    async with store.sessions() as session:
        with pytest.raises(DatabaseError):
            await known_files.stored_keys(session)
    async with store.sessions.begin() as session:
        await session.execute(text("ALTER TABLE post_files_away RENAME TO post_files"))

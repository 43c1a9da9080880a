"""Where new posts come from while ``newsbot serve`` runs, end to end through the real web
application and the Slack emulator: ``POST /ingest``, a file dropped into the posts directory,
and ``newsbot ingest`` run by hand in another process."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot import messages
from bot.runtime.settings import Settings
from bot.store import Store
from bot.store.posts import get_post
from tests.support.bot_server import BOT_TOKEN, SIGNING_SECRET, make_runtime, serving
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.delivery_helpers import new_post, subscribe, until_settled
from tests.support.factory import post_text
from tests.test_delivery import posted_ids

INGEST_TOKEN = "s3cret-ingest-token"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Served:
    url: str
    http: aiohttp.ClientSession
    slack: DeliveryEmulator
    store: Store
    posts_dir: Path
    database_url: str

    async def upload(
        self, body: str, token: str | None = INGEST_TOKEN, name: str | None = None
    ) -> tuple[int, dict[str, object]]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        params = {"name": name} if name else {}
        async with self.http.post(
            f"{self.url}/ingest", data=body.encode(), headers=headers, params=params
        ) as reply:
            return reply.status, await reply.json()


@pytest.fixture
async def served(store: Store, posts_dir: Path) -> AsyncIterator[Served]:
    slack = DeliveryEmulator()
    await slack.start()
    database_url = store.engine.url.render_as_string(hide_password=False)
    settings = Settings.model_validate(
        {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.api_url,
            "database_url": database_url,
            "posts_dir": posts_dir,
            "ingest_token": INGEST_TOKEN,
        }
    )
    from bot.runtime.web import build_web_app

    try:
        async with (
            serving(build_web_app(make_runtime(settings, store))) as url,
            aiohttp.ClientSession() as http,
        ):
            yield Served(url, http, slack, store, posts_dir, database_url)
    finally:
        await slack.close()


async def test_ingest_refuses_a_request_without_the_token(served: Served) -> None:
    for token in (None, "wrong-token", INGEST_TOKEN + "x"):
        status, answer = await served.upload(post_text(title="Sneaky"), token=token)
        assert (status, answer["error"]) == (401, messages.UPLOAD_UNAUTHORIZED)
    assert list(served.posts_dir.iterdir()) == []


async def test_ingest_answers_a_bad_post_with_the_reason(served: Served) -> None:
    status, answer = await served.upload("just some text, no front matter")
    assert (status, answer["error"]) == (400, messages.NO_FRONT_MATTER)
    status, answer = await served.upload(post_text(title="x"), name="../escape.md")
    assert status == 400 and "is not a post file name" in str(answer["error"])
    assert list(served.posts_dir.iterdir()) == []


async def test_ingest_refuses_a_name_longer_than_a_file_name_can_be(served: Served) -> None:
    long_name = "a" * 297 + ".md"  # 300 bytes; file systems allow 255
    status, answer = await served.upload(post_text(title="Long"), name=long_name)
    assert status == 400
    assert "300 bytes long" in str(answer["error"]) and "at most 255" in str(answer["error"])
    assert list(served.posts_dir.iterdir()) == []


async def test_a_title_of_four_byte_characters_gets_a_name_that_fits(served: Served) -> None:
    title = "𠀋" * 80  # a CJK character of four bytes in UTF-8: its slug would be 320 bytes
    status, answer = await served.upload(post_text(title=title, date="2026-11-25 08:00:00"))
    assert (status, answer["status"]) == (201, "new")
    [stored] = served.posts_dir.iterdir()
    assert len(stored.name.encode()) <= 255
    assert stored.name.startswith("2026-11-25-𠀋𠀋") and stored.name.endswith(".md")
    assert answer["post_id"] == stored.name.removesuffix(".md")


async def test_a_posted_post_is_stored_as_a_file_and_delivered(served: Served) -> None:
    await subscribe(served.store, "C1", "Science")
    body = post_text(title="Comet seen", category="Science", date="2026-11-25 08:00:00")
    status, answer = await served.upload(body)
    assert (status, answer["post_id"], answer["status"]) == (201, "2026-11-25-comet-seen", "new")
    stored = served.posts_dir / "2026-11-25-comet-seen.md"
    assert stored.read_text(encoding="utf-8") == body
    await until_settled(served.store)
    assert posted_ids(served.slack) == {("C1", "2026-11-25-comet-seen"): 1}
    # The same post again, edited: 200, and the delivered card is updated in place.
    edited = body.replace("Comet seen", "Comet seen from Spain")
    status, answer = await served.upload(edited, name="2026-11-25-comet-seen.md")
    assert (status, answer["status"]) == (200, "updated")
    await served.slack.wait_for("chat.update")
    await until_settled(served.store)
    assert len(served.slack.sent("chat.postMessage")) == 1
    assert "Comet seen from Spain" in served.slack.sent("chat.update")[0]["text"]


async def test_delete_ingest_removes_the_file_and_its_post(served: Served) -> None:
    body = post_text(title="Comet seen", category="Science", date="2026-11-25 08:00:00")
    assert (await served.upload(body))[0] == 201
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    url = f"{served.url}/ingest"
    async with served.http.delete(url, params={"name": "2026-11-25-comet-seen.md"}) as reply:
        assert reply.status == 401  # the same token as POST
    async with served.http.delete(
        url, headers=headers, params={"name": "2026-11-25-comet-seen.md"}
    ) as reply:
        assert (reply.status, (await reply.json())["removed"]) == (200, 1)
    assert list(served.posts_dir.iterdir()) == []
    async with served.store.sessions() as session:
        assert await get_post(session, "2026-11-25-comet-seen") is None
    async with served.http.delete(url, headers=headers, params={"name": "nope.md"}) as reply:
        answer = await reply.json()
        assert (reply.status, answer["error"]) == (
            404,
            messages.DELETE_NO_FILE.format(name="nope.md"),
        )
    async with served.http.delete(url, headers=headers, params={"name": "../x.md"}) as reply:
        assert reply.status == 400


async def test_a_file_dropped_into_the_posts_directory_is_delivered(served: Served) -> None:
    await subscribe(served.store, "C1", "Politics")
    dropped = new_post(served.posts_dir, "dropped-in")
    await served.slack.wait_for("chat.postMessage")
    await until_settled(served.store)
    assert posted_ids(served.slack) == {("C1", dropped.stem): 1}


async def test_newsbot_ingest_in_another_process_is_delivered(
    served: Served, tmp_path: Path
) -> None:
    await subscribe(served.store, "C1", "Politics")
    elsewhere = tmp_path / "elsewhere"
    handed_in = new_post(elsewhere, "handed-in")
    env = {**os.environ, "DATABASE_URL": served.database_url, "NEWSBOT_POSTS_DIR": str(elsewhere)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "ingest",
        str(handed_in),
        env=env,
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    await served.slack.wait_for("chat.postMessage")
    await until_settled(served.store)
    assert posted_ids(served.slack) == {("C1", handed_in.stem): 1}

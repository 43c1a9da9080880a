"""Multi-workspace newsbot as an admin meets it: a browser that opens ``/slack/install``, is
sent to Slack, approves, and comes back to ``/slack/oauth_redirect`` with the code and state."""

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp

from bot.news.delivery.workspaces import installed
from bot.runtime.settings import Settings
from bot.store.database import Store
from bot.store.subscriptions import team_subscriptions
from tests.support.bot_server import SIGNING_SECRET, RunningBot, make_runtime, running_bot
from tests.support.factory import STANDARD_POSTS, post_text, write_post
from tests.support.ingesting import ingest
from tests.support.recorder import WAIT_SECONDS
from tests.support.slack_emulator import Call, SlackEmulator
from tests.support.slack_oauth import CLIENT_ID, CLIENT_SECRET, Workspace, bot_user_id
from tests.support.slack_requests import Reply, SlackSender, event_payload

INGEST_TOKEN = "ingest-secret-for-tests"
STATE_COOKIE = "slack-app-oauth-state"
NEWSROOM = Workspace("T0NEWSROOM", "Newsroom")
SPORTSDESK = Workspace("T0SPORTS", "Sports desk")
ORG = Workspace(
    None, "Acme Grid", enterprise_id="E0ACME", enterprise_name="Acme Grid", org_wide=True
)


def multi_settings(slack: SlackEmulator, database_url: str, posts_dir: Path) -> Settings:
    return Settings.model_validate(
        {
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": CLIENT_SECRET,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.api_url,
            "database_url": database_url,
            "posts_dir": posts_dir,
            "ingest_token": INGEST_TOKEN,
        }
    )


@asynccontextmanager
async def multi_workspace_bot(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> AsyncIterator[RunningBot]:
    """The real web application in multi-workspace mode, its store holding the posts of
    ``STANDARD_POSTS``."""
    for name, fields in STANDARD_POSTS.items():
        write_post(posts_dir, name, **fields)
    await ingest(store, [posts_dir])
    settings = multi_settings(slack, store.url, posts_dir)
    async with running_bot(make_runtime(settings, store), slack) as running:
        yield running


@dataclass(frozen=True)
class Started:
    """What ``GET /slack/install`` gave the browser."""

    page: Reply
    state: str  # in the Add to Slack link, and in the cookie
    cookie: str


class Browser:
    """A browser of its own (no shared cookie jar): cookies are sent as the test says."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    async def get(self, path: str, cookie: str = "") -> tuple[Reply, dict[str, str]]:
        headers = {"Cookie": cookie} if cookie else {}
        jar = aiohttp.DummyCookieJar()
        async with (
            aiohttp.ClientSession(cookie_jar=jar) as session,
            session.get(self.base_url + path, headers=headers, allow_redirects=False) as response,
        ):
            cookies = {name: morsel.value for name, morsel in response.cookies.items()}
            return Reply(response.status, await response.text()), cookies

    async def start(self) -> Started:
        page, cookies = await self.get("/slack/install")
        link = re.search(r'<a href="([^"]+)"', page.body)
        assert link is not None, page.body
        query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        state = query["state"][0]
        assert cookies[STATE_COOKIE] == state
        return Started(page, state, f"{STATE_COOKIE}={state}")

    async def finish(self, code: str, state: str, cookie: str) -> Reply:
        page, _ = await self.get(f"/slack/oauth_redirect?code={code}&state={state}", cookie)
        return page


async def install(bot: RunningBot, workspace: Workspace, finish_at: str | None = None) -> Reply:
    """The whole flow: the install page, Slack's approval, the redirect back (to another
    replica's address with ``finish_at``)."""
    return await install_at(bot.url, bot.slack, workspace, finish_at)


async def install_at(
    url: str, slack: SlackEmulator, workspace: Workspace, finish_at: str | None = None
) -> Reply:
    started = await Browser(url).start()
    code = slack.oauth.approve(workspace)
    return await Browser(finish_at or url).finish(code, started.state, started.cookie)


async def post_news(bot: RunningBot, name: str, body: str) -> Reply:
    """``POST /ingest``, as a newsroom's pipeline sends a new post."""
    return await post_news_at(bot.session, bot.url, name, body)


async def post_news_at(session: aiohttp.ClientSession, url: str, name: str, body: str) -> Reply:
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    async with session.post(f"{url}/ingest?name={name}", data=body.encode(), headers=headers) as r:
        return Reply(r.status, await r.text())


def news(title: str) -> str:
    """A post dated now."""
    return post_text(title=title, date=f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}")


async def subscribe(
    sender: SlackSender, slack: SlackEmulator, workspace: Workspace, **fields: str
) -> dict[str, Any]:
    """``/news subscribe politics`` typed in ``CHANNEL_ID`` of ``workspace``."""
    team = {"team_id": workspace.team_id or "T0ORGTEAM"}
    reply = await sender.command("subscribe politics", slack.response_url(), **(team | fields))
    assert reply.status == 200
    answer: dict[str, Any] = reply.json()
    assert "Subscribed this channel to Politics" in answer["text"]
    return answer


async def uninstall(
    sender: SlackSender, workspace: Workspace, kind: str = "app_uninstalled"
) -> None:
    """Slack's ``app_uninstalled`` (or ``tokens_revoked``) event for ``workspace``."""
    event: dict[str, Any] = {"type": kind}
    if kind == "tokens_revoked":
        event["tokens"] = {"bot": [bot_user_id(workspace)]}
    payload = event_payload(event) | {
        "team_id": workspace.team_id,
        "authorizations": [{"team_id": workspace.team_id, "is_bot": True}],
    }
    assert (await sender.event(payload)).status == 200


def receiver(slack: SlackEmulator, call: Call) -> Workspace | None:
    """The workspace whose token the call carried."""
    return slack.oauth.workspace_of(call.headers["Authorization"].removeprefix("Bearer "))


async def installed_keys(store: Store) -> set[str]:
    return {workspace.key for workspace in await installed(store)}


async def subscribed(store: Store, team_id: str) -> list[str]:
    async with store.sessions() as session:
        return [s.category_key for s in await team_subscriptions(session, team_id)]


async def until(read: Callable[[], Awaitable[object]], wanted: object) -> None:
    """Wait (a guard against hanging, not a timing assertion) until ``read()`` gives ``wanted``."""
    async with asyncio.timeout(WAIT_SECONDS * 3):
        while await read() != wanted:  # noqa: ASYNC110 - the condition is a database query
            await asyncio.sleep(0.05)

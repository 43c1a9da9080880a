"""Multi-workspace newsbot as an admin meets it: a browser that opens ``/slack/install``, is
sent to Slack, approves, and comes back to ``/slack/oauth_redirect`` with the code and state."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

from bot.news.ingest.scan import ingest
from bot.runtime.settings import Settings
from bot.store.database import Store
from tests.support.bot_server import SIGNING_SECRET, RunningBot, make_runtime, running_bot
from tests.support.factory import STANDARD_POSTS, write_post
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_oauth import CLIENT_ID, CLIENT_SECRET, Workspace
from tests.support.slack_requests import Reply

INGEST_TOKEN = "ingest-secret-for-tests"
STATE_COOKIE = "slack-app-oauth-state"
NEWSROOM = Workspace("T0NEWSROOM", "Newsroom")
SPORTSDESK = Workspace("T0SPORTS", "Sports desk")
ORG = Workspace(None, "Acme Grid", enterprise_id="E0ACME", enterprise_name="Acme Grid", org_wide=True)


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


async def install(bot: RunningBot, workspace: Workspace) -> Reply:
    """The whole flow: the install page, Slack's approval, the redirect back."""
    browser = Browser(bot.url)
    started = await browser.start()
    code = bot.slack.oauth.approve(workspace)
    return await browser.finish(code, started.state, started.cookie)


async def post_news(bot: RunningBot, name: str, body: str) -> Reply:
    """``POST /ingest``, as a newsroom's pipeline sends a new post."""
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    url = f"{bot.url}/ingest?name={name}"
    async with bot.session.post(url, data=body.encode(), headers=headers) as response:
        return Reply(response.status, await response.text())

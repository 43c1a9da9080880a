"""The install flow's failures, as a browser meets them: each gets a page with one clear
sentence, and nothing is stored."""

from pathlib import Path

from bot import messages
from bot.news.delivery.workspaces import installed
from bot.store import Store
from tests.support.installs import NEWSROOM, STATE_COOKIE, Browser, multi_workspace_bot
from tests.support.slack_emulator import SlackEmulator


async def test_the_install_page_offers_add_to_slack_with_a_state(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        started = await Browser(bot.url).start()
    assert started.page.status == 200
    assert "https://slack.com/oauth/v2/authorize?" in started.page.body
    assert "scope=commands,chat:write," in started.page.body.replace("%2C", ",").replace("%3A", ":")


async def test_a_forged_state_is_refused(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        browser = Browser(bot.url)
        code = slack.oauth.approve(NEWSROOM)
        page = await browser.finish(code, "forged", f"{STATE_COOKIE}=forged")
    assert page.status == 401
    assert messages.INSTALL_FAILURES["invalid_state"] in page.body
    assert await installed(store) == []
    assert slack.calls_to("oauth.v2.access") == []


async def test_a_state_from_another_browser_is_refused(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        browser = Browser(bot.url)
        started = await browser.start()
        page = await browser.finish(slack.oauth.approve(NEWSROOM), started.state, cookie="")
    assert page.status == 400
    assert messages.INSTALL_FAILURES["invalid_browser"] in page.body
    assert await installed(store) == []


async def test_a_replayed_state_is_refused(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        browser = Browser(bot.url)
        started = await browser.start()
        first = await browser.finish(slack.oauth.approve(NEWSROOM), started.state, started.cookie)
        again = await browser.finish(slack.oauth.approve(NEWSROOM), started.state, started.cookie)
    assert first.status == 200
    assert again.status == 401
    assert messages.INSTALL_FAILURES["invalid_state"] in again.body
    assert len(await installed(store)) == 1
    assert len(slack.calls_to("oauth.v2.access")) == 1


async def test_a_denied_install_says_so(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        browser = Browser(bot.url)
        started = await browser.start()
        path = f"/slack/oauth_redirect?error=access_denied&state={started.state}"
        page, _ = await browser.get(path, started.cookie)
    assert page.status == 200
    assert messages.INSTALL_FAILURES["access_denied"] in page.body
    assert await installed(store) == []


async def test_an_unknown_code_is_refused(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        browser = Browser(bot.url)
        started = await browser.start()
        page = await browser.finish("code-nobody-issued", started.state, started.cookie)
    assert page.status == 401
    assert messages.INSTALL_FAILURES["invalid_code"] in page.body
    [exchange] = slack.calls_to("oauth.v2.access")
    assert exchange.answer == {"ok": False, "error": "invalid_code"}
    assert await installed(store) == []

"""Many workspaces, driven as Slack drives them: installs through ``/slack/install`` and
``/slack/oauth_redirect`` against the emulator's ``oauth.v2.access``, subscriptions by signed
slash commands, posts delivered with each workspace's own token, and uninstalls that leave
nothing behind."""

from pathlib import Path

from bot import messages
from bot.news.delivery.workspaces import installed
from bot.store import Store
from bot.store.delivery_plans import unplanned_posts
from bot.store.workspaces import route_of
from tests.support.installs import (
    NEWSROOM,
    ORG,
    SPORTSDESK,
    install,
    installed_keys,
    multi_workspace_bot,
    news,
    post_news,
    receiver,
    subscribe,
    subscribed,
    uninstall,
    until,
)
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import CHANNEL_ID, USER_ID, event_payload


async def test_two_workspaces_each_get_posts_with_their_own_token_until_one_uninstalls(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        for workspace in (NEWSROOM, SPORTSDESK):
            page = await install(bot, workspace)
            assert page.status == 200
            assert f"newsbot is now installed in {workspace.name}" in page.body
            # The same channel id in two workspaces is two channels.
            await subscribe(bot.sender, slack, workspace)
        assert (await post_news(bot, "budget.md", news("Budget passes"))).status == 201
        first = await slack.wait_for("chat.postMessage", 2)
        assert all(call.ok and call.params["channel"] == CHANNEL_ID for call in first)
        assert {receiver(slack, call) for call in first} == {NEWSROOM, SPORTSDESK}

        await uninstall(bot.sender, NEWSROOM)
        await until(lambda: installed_keys(store), {"T0SPORTS"})
        assert await subscribed(store, "T0NEWSROOM") == []
        assert (await post_news(bot, "flood.md", news("Flood warning"))).status == 201
        calls = await slack.wait_for("chat.postMessage", 3)
    assert receiver(slack, calls[2]) == SPORTSDESK
    assert [receiver(slack, call) for call in calls].count(NEWSROOM) == 1


async def test_revoked_tokens_forget_the_workspace(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        await install(bot, NEWSROOM)
        await subscribe(bot.sender, slack, NEWSROOM)
        await uninstall(bot.sender, NEWSROOM, "tokens_revoked")
        await until(lambda: installed_keys(store), set())
    assert await subscribed(store, "T0NEWSROOM") == []


async def test_a_workspace_that_never_installed_gets_a_clear_answer(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        url = slack.response_url("stranger")
        reply = await bot.sender.command("latest", url, team_id="T0STRANGER")
        [answer] = await slack.wait_for_response("stranger")
    assert reply.status == 200
    assert answer["text"] == messages.NOT_INSTALLED_REPLY
    assert slack.calls_to("chat.postMessage") == []


async def test_a_token_slack_refuses_marks_the_workspace_uninstalled(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        await install(bot, NEWSROOM)
        await subscribe(bot.sender, slack, NEWSROOM)
        slack.oauth.deactivate(NEWSROOM)
        await post_news(bot, "budget.md", news("Budget passes"))
        [refused] = await slack.wait_for("chat.postMessage")
        await until(lambda: installed_keys(store), set())
        await post_news(bot, "flood.md", news("Flood warning"))
        await until(lambda: _unplanned(store), 0)  # the second post was fanned out: to no one
    assert refused.answer["error"] == "account_inactive"
    assert await subscribed(store, "T0NEWSROOM") == []
    assert len(slack.calls_to("chat.postMessage")) == 1  # nothing loops on a dead token


async def test_tokens_that_expire_are_refreshed_and_deliveries_go_on(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    slack.oauth.token_lifetime = 60  # inside bolt's two-hour refresh window from the start
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        await install(bot, NEWSROOM)
        await subscribe(bot.sender, slack, NEWSROOM)  # bolt refreshes before answering
        slack.oauth.expire_all()  # every token so far is dead, as twelve hours later
        await post_news(bot, "budget.md", news("Budget passes"))
        [delivered] = await slack.wait_for("chat.postMessage")
    refreshes = [c for c in slack.calls_to("oauth.v2.access") if c.params.get("refresh_token")]
    assert delivered.ok
    assert len(refreshes) == 2  # one for the command, one for the delivery
    newest = slack.oauth.tokens_of(NEWSROOM)[-1]
    assert delivered.headers["Authorization"] == f"Bearer {newest}"
    [stored] = await installed(store)
    assert stored.token_expires_at is not None


async def test_an_org_wide_install_serves_its_workspaces(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    grid = {"enterprise_id": "E0ACME", "is_enterprise_install": "true"}
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        page = await install(bot, ORG)
        assert "newsbot is now installed in Acme Grid" in page.body
        await subscribe(bot.sender, slack, ORG, **grid)
        await post_news(bot, "budget.md", news("Budget passes"))
        [delivered] = await slack.wait_for("chat.postMessage")
        async with store.sessions() as session:
            route = await route_of(session, "T0ORGTEAM")
    assert delivered.ok and receiver(slack, delivered) == ORG
    assert route is not None and route.enterprise_id == "E0ACME" and route.is_enterprise_install
    assert await installed_keys(store) == {"E0ACME"}


async def _unplanned(store: Store) -> int:
    async with store.sessions() as session:
        return len(await unplanned_posts(session, 10))


async def test_the_app_home_and_the_paused_channel_dm_use_each_workspaces_token(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        for workspace in (NEWSROOM, SPORTSDESK):
            await install(bot, workspace)
            await subscribe(bot.sender, slack, workspace)
            opened = event_payload({"type": "app_home_opened", "user": USER_ID, "tab": "home"})
            team = {"team_id": workspace.team_id}
            await bot.sender.event(opened | team | {"authorizations": [team | {"is_bot": True}]})
        homes = await slack.wait_for("views.publish", 2)
        slack.fail("chat.postMessage", "not_in_channel", times=1)
        await post_news(bot, "budget.md", news("Budget passes"))
        [told] = await slack.wait_for("conversations.open")
        posts = await slack.wait_for("chat.postMessage", 3)
    assert [receiver(slack, call) for call in homes] == [NEWSROOM, SPORTSDESK]
    refused = posts[0]
    [dm] = [call for call in posts if call.params["channel"].startswith("D")]
    assert refused.answer["error"] == "not_in_channel"
    # The subscriber of the refused channel is told with that channel's workspace token.
    assert receiver(slack, told) == receiver(slack, dm) == receiver(slack, refused)

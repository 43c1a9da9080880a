"""The App Home tab, published each time someone opens it."""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.browsing import home_page
from bot.news.subscribing import workspace_subscriptions
from bot.news.verbs import Asker, VerbContext
from bot.slack.blocks.home import home_blocks, home_view
from bot.slack.blocks.subscriptions import home_section
from bot.slack.conversation import Deps
from bot.slack.limits import MAX_VIEW_BLOCKS


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab") != "home":
            return
        asker = Asker(body.get("team_id", ""), event.get("channel", ""), event["user"])
        ctx = VerbContext(deps.store, deps.settings, asker)
        blocks = home_blocks(await home_page(ctx))
        blocks += home_section(await workspace_subscriptions(ctx), MAX_VIEW_BLOCKS - len(blocks))
        await client.views_publish(user_id=event["user"], view=home_view(blocks))

    app.event("app_home_opened")(on_home_opened)

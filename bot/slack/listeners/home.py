"""The App Home tab, published each time someone opens it."""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.delivery.why import with_latest
from bot.news.search.browse import home_page
from bot.news.subscriptions.verbs import workspace_subscriptions
from bot.slack.askers import asker_of
from bot.slack.blocks.home import home_tab
from bot.slack.conversation import Deps


def register(app: AsyncApp, deps: Deps) -> None:
    async def on_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab") != "home":
            return
        ctx = deps.context(asker_of(event, envelope=body))
        workspace = await with_latest(ctx, await workspace_subscriptions(ctx))
        view = home_tab(await home_page(ctx), workspace)
        await client.views_publish(user_id=event["user"], view=view)

    app.event("app_home_opened")(on_home_opened)

"""Running the delivery engine against the emulator until the ledger settles."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.delivery.engine import Deliverer, EngineSettings
from bot.news.delivery.plan import plan_deliveries
from bot.news.delivery.send import Pacing
from bot.runtime.settings import Settings
from bot.runtime.state import make_client
from bot.slack.publisher import SlackPublisher
from bot.store import Store
from bot.store.deliveries import ChannelKey, Delivery, ledger, outstanding
from bot.store.delivery_plans import unplanned_posts
from bot.store.subscriptions import Subscription, save_subscriptions
from tests.support.delivery_emulator import DeliveryEmulator
from tests.support.factory import write_post
from tests.support.ingesting import ingest

TEAM = "T0NEWS"
SUBSCRIBER = "U0SUBSCRIBER"
BOT_TOKEN = "xoxb-1111-2222-newsbot-delivery"
SETTLE_SECONDS = 60.0  # a guard against a hanging test, not a timing assertion
QUICK = EngineSettings(
    lease=timedelta(seconds=3), poll_seconds=0.2, pacing=Pacing(interval=timedelta(0))
)


async def subscribe(store: Store, channel_id: str, *categories: str) -> None:
    """As ``/news subscribe CATEGORY, …`` run by SUBSCRIBER in the channel leaves the store."""
    now = datetime.now(UTC)
    async with store.sessions.begin() as session:
        await save_subscriptions(
            session,
            [
                Subscription(TEAM, channel_id, name.casefold(), name, SUBSCRIBER, now)
                for name in categories
            ],
        )


def new_post(posts_dir: Path, slug: str, category: str = "Politics", **fields: Any) -> Path:
    """A post file dated now, so it is news."""
    moment = datetime.now(UTC)
    name = f"{moment:%Y-%m-%d}-{slug}.md"
    fields.setdefault("title", slug.replace("-", " ").title())
    return write_post(
        posts_dir, name, category=category, date=f"{moment:%Y-%m-%d %H:%M:%S}", **fields
    )


def slack_client(slack: DeliveryEmulator) -> AsyncWebClient:
    """The client ``newsbot serve`` would make, pointed at the emulator."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]  # pydantic-settings takes it at run time
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_api_url=slack.api_url,
    )
    return make_client(settings)


async def settled(store: Store) -> bool:
    async with store.sessions() as session:
        return not await unplanned_posts(session, 1) and await outstanding(session) == 0


async def rows(store: Store) -> list[Delivery]:
    async with store.sessions() as session:
        return await ledger(session)


@asynccontextmanager
async def running(
    store: Store,
    slack: DeliveryEmulator,
    settings: EngineSettings = QUICK,
    on_paused: Callable[[ChannelKey, str], Any] | None = None,
) -> AsyncIterator[Deliverer]:
    publisher = SlackPublisher(slack_client(slack))
    deliverer = Deliverer(store, publisher, settings, on_paused)
    task = asyncio.create_task(deliverer.run())
    try:
        yield deliverer
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def until_settled(store: Store) -> None:
    """Wait until every post is planned and every ledger row done."""
    await until(lambda: settled(store))


async def until(condition: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(SETTLE_SECONDS):
        while not await condition():  # noqa: ASYNC110 - the condition is a database query
            await asyncio.sleep(0.05)


async def ingest_dir(store: Store, posts_dir: Path) -> None:
    await ingest(store, [posts_dir])


async def budget_day_planned(store: Store, posts_dir: Path, *channel_ids: str) -> None:
    """These channels subscribed to Politics, and one new Politics post planned for each."""
    for channel_id in channel_ids:
        await subscribe(store, channel_id, "Politics")
    new_post(posts_dir, "budget", title="Budget day")
    await ingest_dir(store, posts_dir)
    await plan_deliveries(store)

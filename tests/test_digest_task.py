"""``newsbot serve`` sends a digest by itself once it falls due."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.runtime.tasks import digest_plugin
from bot.store.schema import SubscriptionRow
from tests.support.bot_server import RunningBot, running_bot
from tests.support.factory import write_post
from tests.support.ingesting import ingest
from tests.support.slack_requests import CHANNEL_ID


async def test_a_due_digest_goes_out_without_anyone_asking(bot: RunningBot) -> None:
    reply = await bot.sender.command(
        "subscribe politics digest:daily@09:00", bot.slack.response_url()
    )
    assert "Subscribed this channel to Politics" in reply.json()["text"]
    now = datetime.now(UTC)
    posts_dir = bot.runtime.settings.posts_dir
    published = (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    write_post(posts_dir, "fresh.md", title="Mayor elected", category="Politics", date=published)
    await ingest(bot.runtime.store, [posts_dir])
    async with bot.runtime.store.sessions() as session, session.begin():
        await session.execute(
            update(SubscriptionRow).values(digest_next_at=now - timedelta(minutes=1))
        )

    async with running_bot(bot.runtime, bot.slack, plugins=[digest_plugin(poll_seconds=0.05)]):
        [parent] = await bot.slack.wait_for("chat.postMessage")

    assert parent.params["channel"] == CHANNEL_ID
    assert "Mayor elected" in parent.params["text"]

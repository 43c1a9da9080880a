"""``GET /metrics``: off unless ``NEWSBOT_METRICS=1``; then, in Prometheus text format, what an
operator watches: Slack requests by kind and outcome with their time to acknowledge, ingested
files, the delivery ledger by state and its oldest pending row, 429s and the seconds waited,
paused channels, digest runs and ingest progress. On SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot.news.delivery.plan import plan_deliveries
from bot.runtime.tasks import digest_plugin, watcher_plugin
from bot.store import Store
from bot.store.channels import pause_channel
from tests.support.bot_server import RunningBot, bot_settings, make_runtime, running_bot
from tests.support.delivery_helpers import subscribe, until
from tests.support.factory import post_text, write_post
from tests.support.slack_emulator import SlackEmulator
from tests.support.slack_requests import Reply

INGEST_TOKEN = "ingest-token-for-metrics"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def observed(
    store: Store, slack: SlackEmulator, posts_dir: Path
) -> AsyncIterator[RunningBot]:
    """The bot with ``NEWSBOT_METRICS=1``, its digest loop and posts watcher running, its
    deliveries not; the posts directory holds a file that cannot be read."""
    write_post(posts_dir, "2026-12-01-untitled.md", title=None)
    settings = bot_settings(slack, store.engine.url.render_as_string(False), posts_dir)
    settings = settings.model_copy(
        update={"metrics": True, "ingest_token": SecretStr(INGEST_TOKEN)}
    )
    plugins = [digest_plugin(poll_seconds=0.05), watcher_plugin]
    async with running_bot(make_runtime(settings, store), slack, plugins=plugins) as bot:
        yield bot


async def scrape(bot: RunningBot) -> Samples:
    reply = await bot.get("/metrics")
    assert reply.status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(reply.body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_are_off_unless_asked_for(bot: RunningBot) -> None:
    assert (await bot.get("/metrics")).status == 404


async def test_metrics_show_requests_ingests_deliveries_and_rate_limits(
    observed: RunningBot, store: Store, slack: SlackEmulator
) -> None:
    bot = observed
    sender = bot.sender
    assert (await sender.command("latest", slack.response_url())).status == 200
    forged = await sender.post("command=/news&text=latest", "text/plain", signature="v0=forged")
    assert forged.status == 401
    await subscribe(store, "C1", "Politics")
    await subscribe(store, "C2", "Politics")
    assert (await _upload(bot, title="Fresh vote")).status == 201
    await plan_deliveries(store)
    async with store.sessions.begin() as session:
        await pause_channel(session, "T0NEWS", "C2", "channel_not_found")
    slack.rate_limit("users.info", every=2, retry_after=0)
    for user in ("U1", "U2"):
        await bot.runtime.client.users_info(user=user)
    await until(lambda: _counted(bot, "newsbot_digest_runs_total", outcome="nothing_due"))
    await until(lambda: _counted(bot, "newsbot_ingested_files_total", outcome="rejected"))

    samples = await scrape(bot)
    assert value(samples, "newsbot_slack_requests_total", kind="command", outcome="ok") == 1
    assert value(samples, "newsbot_slack_requests_total", kind="command", outcome="refused") == 1
    assert value(samples, "newsbot_slack_ack_seconds_count", kind="command") == 2
    assert value(samples, "newsbot_http_requests_total", route="/slack/events", status="401") == 1
    assert value(samples, "newsbot_ingested_files_total", outcome="new") == 1
    # Each re-scan reads the unreadable file again, and counts it again.
    assert value(samples, "newsbot_ingested_files_total", outcome="rejected") >= 1
    assert value(samples, "newsbot_ingest_files_done") == value(
        samples, "newsbot_ingest_files_total"
    )
    assert value(samples, "newsbot_deliveries", state="pending") == 2
    assert value(samples, "newsbot_deliveries", state="sent") == 0
    assert value(samples, "newsbot_oldest_pending_delivery_seconds") > 0
    assert value(samples, "newsbot_paused_channels") == 1
    assert value(samples, "newsbot_slack_rate_limited_total") == 1
    assert value(samples, "newsbot_slack_retry_after_seconds_total") > 0


async def _upload(bot: RunningBot, query: str = "", **fields: Any) -> Reply:
    """``POST /ingest`` of a post dated now, with ``fields`` in its front matter."""
    text = post_text(date=f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}", **fields)
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    url = bot.url + "/ingest" + query
    async with bot.session.post(url, data=text.encode(), headers=headers) as reply:
        return Reply(reply.status, await reply.text())


async def _counted(bot: RunningBot, name: str, **labels: str) -> bool:
    return value(await scrape(bot), name, **labels) >= 1

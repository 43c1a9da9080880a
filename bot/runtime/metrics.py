"""Every metric ``GET /metrics`` shows (Prometheus text format, through prometheus-client), in one
place. The layers below report through small callbacks and protocols they own
(``bot.slack.observe.RequestReport``, ``bot.slack.client.RateLimitObserver``,
``bot.news.ingest.gate.IngestObserver``); the ledger's counts are read from the store when the
route is asked. No label holds a team, channel, user or post: their number is unbounded.
"""

from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.news.ingest.report import IngestReport
from bot.store import Store
from bot.store.stats import delivery_stats

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

DELIVERY_STATES = ("pending", "sending", "sent", "outdated", "failed")
# Seconds to acknowledge a Slack request: Slack gives up after 3.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class Metrics:
    """One set of metrics on a registry of its own (one per running app, so tests don't mix)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.http = Counter(
            "newsbot_http_requests",
            "HTTP requests by route and status",
            ["route", "status"],
            registry=r,
        )
        self.slack_requests = Counter(
            "newsbot_slack_requests",
            "Slack requests (commands, events, actions, views…) by kind and outcome",
            ["kind", "outcome"],
            registry=r,
        )
        self.ack_seconds = Histogram(
            "newsbot_slack_ack_seconds",
            "Seconds from a Slack request to its acknowledgement, by kind",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.ingested = Counter(
            "newsbot_ingested_files",
            "Post files ingested by serve (watcher, POST /ingest), by outcome",
            ["outcome"],
            registry=r,
        )
        self.ingest_done = Gauge(
            "newsbot_ingest_files_done",
            "Changed files done in the current or last ingest",
            registry=r,
        )
        self.ingest_total = Gauge(
            "newsbot_ingest_files_total",
            "Changed files in the current or last ingest",
            registry=r,
        )
        self.rate_limited = Counter(
            "newsbot_slack_rate_limited", "Slack Web API answers with HTTP 429", registry=r
        )
        self.retry_after = Counter(
            "newsbot_slack_retry_after_seconds",
            "Seconds the Web API client waited out Retry-After",
            registry=r,
        )
        self.deliveries = Gauge(
            "newsbot_deliveries", "Rows of the delivery ledger by state", ["state"], registry=r
        )
        self.oldest_pending = Gauge(
            "newsbot_oldest_pending_delivery_seconds",
            "Age of the oldest pending delivery (0 when none waits)",
            registry=r,
        )
        self.paused = Gauge(
            "newsbot_paused_channels", "Channels paused (by a person or a failure)", registry=r
        )
        self.digests = Counter(
            "newsbot_digest_runs",
            "Rounds of the digest loop by outcome",
            ["outcome"],
            registry=r,
        )

    # Reports from below (each a callback of a protocol the lower layer owns).

    def request(self, kind: str, outcome: str, seconds: float) -> None:
        self.slack_requests.labels(kind, outcome).inc()
        self.ack_seconds.labels(kind).observe(seconds)

    def refused(self) -> None:
        self.rate_limited.inc()

    def waited(self, seconds: float) -> None:
        self.retry_after.inc(seconds)

    def progress(self, done: int, total: int) -> None:
        self.ingest_done.set(done)
        self.ingest_total.set(total)

    def finished(self, report: IngestReport) -> None:
        for outcome, count in (
            ("new", report.new),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("rejected", len(report.rejected)),
            ("removed", report.removed),
        ):
            self.ingested.labels(outcome).inc(count)

    def digest_run(self, outcome: str) -> None:
        self.digests.labels(outcome).inc()

    def http_request(self, route: str, status: int) -> None:
        self.http.labels(route, str(status)).inc()

    async def render(self, store: Store) -> bytes:
        """The text Prometheus scrapes, with the ledger's counts read now."""
        async with store.sessions() as session:
            stats = await delivery_stats(session)
        for state in {*DELIVERY_STATES, *stats.by_state}:
            self.deliveries.labels(state).set(stats.by_state.get(state, 0))
        oldest = stats.oldest_pending
        self.oldest_pending.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)
        self.paused.set(stats.paused_channels)
        return generate_latest(self.registry)

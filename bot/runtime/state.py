"""What a running newsbot holds, made once at start-up, and the keys by which routes and
background tasks find it in the aiohttp application."""

from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.context import SubscribePolicy
from bot.news.delivery.engine import Deliverer
from bot.news.ingest.gate import IngestGate
from bot.runtime.metrics import Metrics
from bot.runtime.settings import Settings
from bot.slack.app import SlackOptions, build_app
from bot.slack.client import observe_rate_limits, web_client
from bot.slack.publisher import SlackPublisher
from bot.store import Store


@dataclass(frozen=True)
class Runtime:
    """Settings, the store, the Web API client, the bolt app and the metrics they report to."""

    settings: Settings
    store: Store
    client: AsyncWebClient
    slack: AsyncApp
    metrics: Metrics = field(default_factory=Metrics)


@dataclass(frozen=True)
class Services:
    """What the routes and the background tasks share: the delivery engine (which ``POST
    /ingest`` wakes) and the gate that lets one ingestion run at a time."""

    deliverer: Deliverer
    ingest_gate: IngestGate

    @classmethod
    def of(cls, runtime: Runtime) -> "Services":
        publisher = SlackPublisher(runtime.client)
        return cls(Deliverer(runtime.store, publisher), IngestGate(runtime.store, runtime.metrics))


def make_client(settings: Settings) -> AsyncWebClient:
    """The Web API client for ``SLACK_API_URL`` with the bot token."""
    token = settings.slack_bot_token
    secret = token.get_secret_value().strip() if token is not None else None
    return web_client(secret, settings.slack_api_url)


def slack_options(settings: Settings) -> SlackOptions:
    secret = settings.slack_signing_secret
    return SlackOptions(
        signing_secret=secret.get_secret_value() if secret else None,
        answer_cache_seconds=settings.answer_cache_seconds,
        subscribe_policy=SubscribePolicy.parse(settings.subscribe_policy),
    )


def make_runtime(settings: Settings, store: Store, client: AsyncWebClient | None = None) -> Runtime:
    """Everything ``serve`` holds, for ``settings`` and an open ``store``."""
    client = client or make_client(settings)
    metrics = Metrics()
    observe_rate_limits(client, metrics)
    slack = build_app(store, client, slack_options(settings), report=metrics.request)
    return Runtime(settings, store, client, slack, metrics)


RUNTIME = web.AppKey("runtime", Runtime)
SERVICES = web.AppKey("services", Services)

"""What a running newsbot holds, made once at start-up, and the keys by which routes and
background tasks find it in the aiohttp application."""

from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.context import SubscribePolicy
from bot.news.delivery.engine import Deliverer
from bot.news.ingest.gate import IngestGate
from bot.runtime.settings import Settings
from bot.runtime.startup import CatchUp
from bot.slack.app import SlackOptions, build_app
from bot.slack.client import web_client
from bot.slack.publisher import SlackPublisher
from bot.store import Store


@dataclass(frozen=True)
class Runtime:
    """Settings, the store, the Web API client and the bolt app."""

    settings: Settings
    store: Store
    client: AsyncWebClient
    slack: AsyncApp


@dataclass(frozen=True)
class Services:
    """What the routes and the background tasks share: the delivery engine (which ``POST
    /ingest`` wakes), the gate that lets one ingestion run at a time, and how far the reading
    of the posts directory at start has got (``/healthz`` shows it)."""

    deliverer: Deliverer
    ingest_gate: IngestGate
    catch_up: CatchUp = field(default_factory=CatchUp)

    @classmethod
    def of(cls, runtime: Runtime) -> "Services":
        publisher = SlackPublisher(runtime.client)
        return cls(Deliverer(runtime.store, publisher), IngestGate(runtime.store))


def make_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client for ``SLACK_API_URL`` with the bot token, calling through
    ``session``'s connections when given one."""
    token = settings.slack_bot_token
    secret = token.get_secret_value().strip() if token is not None else None
    return web_client(secret, settings.slack_api_url, session)


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
    return Runtime(settings, store, client, build_app(store, client, slack_options(settings)))


RUNTIME = web.AppKey("runtime", Runtime)
SERVICES = web.AppKey("services", Services)

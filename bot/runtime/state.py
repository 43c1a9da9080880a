"""What a running newsbot holds, made once at start-up, and the keys by which routes and
background tasks find it in the aiohttp application."""

from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.context import SubscribePolicy
from bot.news.delivery.engine import Deliverer, EngineSettings
from bot.news.ingest.gate import IngestGate
from bot.runtime.metrics import Metrics
from bot.runtime.settings import Settings, SlackMode, slack_mode
from bot.runtime.startup import CatchUp
from bot.slack.app import SlackOptions, build_app
from bot.slack.client import observe_rate_limits, web_client
from bot.slack.incoming import RequestCheck
from bot.slack.oauth import MultiWorkspace, OAuthOptions
from bot.slack.observe import ObservedApp
from bot.slack.publisher import DISTRIBUTED_APP_HISTORY, SlackPublisher
from bot.store import Store

# Slack allows apps outside its Marketplace one conversations.history call a minute per
# workspace (2025); an app installed in one workspace by its own team is not limited.
HISTORY_CALL_INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Runtime:
    """Settings, the store, the Web API client, the bolt app, the one Slack publisher, in
    multi-workspace mode the installations, and the metrics they report to."""

    settings: Settings
    store: Store
    client: AsyncWebClient
    slack: ObservedApp
    publisher: SlackPublisher
    multi: MultiWorkspace | None = None
    metrics: Metrics = field(default_factory=Metrics)


@dataclass(frozen=True)
class Services:
    """What the routes and the background tasks share: the delivery engine (which ``POST
    /ingest`` wakes), the gate that lets one ingestion run at a time, how far the reading of
    the posts directory at start has got (``/healthz`` shows it), and the check of requests to
    ``POST /slack/events``."""

    deliverer: Deliverer
    ingest_gate: IngestGate
    incoming: RequestCheck
    catch_up: CatchUp = field(default_factory=CatchUp)

    @classmethod
    def of(cls, runtime: Runtime) -> "Services":
        multi = runtime.multi is not None
        settings = EngineSettings(history_interval_seconds=HISTORY_CALL_INTERVAL_SECONDS * multi)
        deliverer = Deliverer(
            runtime.store, runtime.publisher, settings, forget_gone_workspaces=multi
        )
        secret = runtime.settings.slack_signing_secret
        incoming = RequestCheck(secret.get_secret_value() if secret else "")
        return cls(deliverer, IngestGate(runtime.store, runtime.metrics), incoming)


def make_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client for ``SLACK_API_URL``, with the bot token in single-workspace mode
    (in multi-workspace mode each call carries its workspace's token), calling through
    ``session``'s connections when given one."""
    token = settings.slack_bot_token
    secret = token.get_secret_value().strip() if token is not None else None
    return web_client(secret or None, settings.slack_api_url, session)


def slack_options(settings: Settings) -> SlackOptions:
    return SlackOptions(
        answer_cache_seconds=settings.answer_cache_seconds,
        subscribe_policy=SubscribePolicy.parse(settings.subscribe_policy),
    )


def oauth_options(settings: Settings) -> OAuthOptions:
    secret = settings.slack_client_secret
    return OAuthOptions(
        client_id=settings.slack_client_id or "",
        client_secret=secret.get_secret_value() if secret else "",
        scopes=tuple(settings.slack_scopes.split(",")),
    )


def make_runtime(settings: Settings, store: Store, client: AsyncWebClient | None = None) -> Runtime:
    """Everything ``serve`` holds, for ``settings`` and an open ``store``."""
    client = client or make_client(settings)
    metrics = Metrics()
    observe_rate_limits(client, metrics)
    multi = None
    if slack_mode(settings) is SlackMode.MULTI:
        multi = MultiWorkspace.open(store, client, oauth_options(settings))
    publisher = SlackPublisher(
        client,
        tokens=multi.tokens if multi else None,
        history=DISTRIBUTED_APP_HISTORY if multi else None,
    )
    slack = build_app(store, client, slack_options(settings), multi, report=metrics.request)
    return Runtime(settings, store, client, slack, publisher, multi, metrics)


RUNTIME = web.AppKey("runtime", Runtime)
SERVICES = web.AppKey("services", Services)

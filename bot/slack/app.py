"""The bolt app: every listener registered on one AsyncApp."""

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.news.context import SubscribePolicy
from bot.slack.answer_memo import AnswerMemo
from bot.slack.conversation import Deps
from bot.slack.dedupe import EventLedger, once_per_event
from bot.slack.listeners import buttons, commands, errors, events, home, subscriptions, workspaces
from bot.slack.oauth import MultiWorkspace
from bot.slack.observe import ObservedApp, RequestReport
from bot.slack.people import SlackPeople
from bot.slack.prompt_ack import answer_promptly
from bot.slack.publisher import SlackPublisher
from bot.slack.shortcut import MemoShortcut
from bot.slack.tokens import Tokens
from bot.store.database import Store


@dataclass(frozen=True)
class SlackOptions:
    """The settings the Slack app uses, read by the runtime."""

    answer_cache_seconds: float
    subscribe_policy: SubscribePolicy


def build_app(
    store: Store,
    client: AsyncWebClient,
    options: SlackOptions,
    multi: MultiWorkspace | None = None,
    report: RequestReport | None = None,
) -> ObservedApp:
    """``client`` carries ``SLACK_API_URL``, the retry handlers and, in single-workspace mode,
    the bot token; bolt copies them into the client each listener gets. With ``multi``, bolt
    finds each request's workspace token in the installations instead, and serves the install
    flow. ``report`` is told of every verified request. bolt does not check signatures: in HTTP
    mode ``bot.slack.incoming`` has checked each request before bolt sees it, and Socket Mode's
    come over a connection opened with the app token."""
    app = ObservedApp(
        client=client,
        request_verification_enabled=False,
        process_before_response=False,
        **(multi.bolt_arguments(store, client) if multi else {}),  # type: ignore[arg-type]
    )
    app.report = report
    answer_promptly(app)
    app.use(once_per_event(EventLedger(store)))
    tokens: Tokens | None = multi.tokens if multi else None
    memo = AnswerMemo(store.changes, options.answer_cache_seconds)
    if multi is None:  # with several workspaces, bolt looks up each request's installation
        app.early = MemoShortcut(memo).answer
    publisher = SlackPublisher(client, tokens=tokens)
    deps = Deps(store, SlackPeople(client, tokens), memo, options.subscribe_policy, publisher)
    if multi:
        workspaces.register(app, store, multi.tokens)
    # The subscription form comes first: it takes `/news subscribe` with no words after it.
    for listeners in (subscriptions, commands, events, home, buttons):
        listeners.register(app, deps)
    errors.register(app)
    return app

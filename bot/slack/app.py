"""The bolt app: every listener registered on one AsyncApp."""

from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.news.context import SubscribePolicy
from bot.slack.answer_memo import AnswerMemo
from bot.slack.conversation import Deps
from bot.slack.dedupe import EventLedger, once_per_event
from bot.slack.listeners import buttons, commands, errors, events, home, subscriptions
from bot.slack.observe import ObservedApp, RequestReport
from bot.slack.people import SlackPeople
from bot.store.database import Store


@dataclass(frozen=True)
class SlackOptions:
    """The settings the Slack app uses, read by the runtime."""

    signing_secret: str | None
    answer_cache_seconds: float
    subscribe_policy: SubscribePolicy


def build_app(
    store: Store,
    client: AsyncWebClient,
    options: SlackOptions,
    report: RequestReport | None = None,
) -> AsyncApp:
    """``client`` carries the bot token, ``SLACK_API_URL`` and the retry handlers; bolt copies
    them into the client each listener gets. ``report`` is told of every verified request."""
    app = ObservedApp(
        client=client, signing_secret=options.signing_secret, process_before_response=False
    )
    app.report = report
    app.use(once_per_event(EventLedger(store)))
    memo = AnswerMemo(store.changes, options.answer_cache_seconds)
    deps = Deps(store, SlackPeople(client), memo, options.subscribe_policy)
    # The subscription form comes first: it takes `/news subscribe` with no words after it.
    for listeners in (subscriptions, commands, events, home, buttons):
        listeners.register(app, deps)
    errors.register(app)
    return app

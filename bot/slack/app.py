"""The bolt app: every listener registered on one AsyncApp."""

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.news.events import EventLedger
from bot.slack.answer_memo import AnswerMemo
from bot.slack.conversation import Deps
from bot.slack.dedupe import once_per_event
from bot.slack.listeners import buttons, commands, errors, events, home, subscriptions
from bot.slack.people import SlackPeople
from bot.store.database import Store


def build_app(settings: Settings, store: Store, client: AsyncWebClient) -> AsyncApp:
    """``client`` carries the bot token, ``SLACK_API_URL`` and the retry handlers; bolt copies
    them into the client each listener gets."""
    secret = settings.slack_signing_secret
    app = AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        process_before_response=False,
    )
    app.use(once_per_event(EventLedger(store)))
    memo = AnswerMemo(store.changes, settings.answer_cache_seconds)
    deps = Deps(settings, store, SlackPeople(client), memo)
    # The subscription form comes first: it takes `/news subscribe` with no words after it.
    for listeners in (subscriptions, commands, events, home, buttons):
        listeners.register(app, deps)
    errors.register(app)
    return app

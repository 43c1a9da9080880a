"""Installing newsbot into many workspaces with bolt's own OAuth: ``GET /slack/install`` shows
the "Add to Slack" page and ``GET /slack/oauth_redirect`` finishes the install (bolt's state
store and cookie check the state; ``oauth.v2.access`` goes through ``SLACK_API_URL`` like every
other Web API call). Installations and states live in newsbot's own database, in slack_sdk's
SQLAlchemy stores on newsbot's engine; their tables come from migration 0011.
"""

import html
import logging
from collections.abc import Awaitable
from dataclasses import dataclass

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.news.delivery.workspaces import remember_route
from bot.slack.tokens import InstalledTokens
from bot.store.database import Store
from bot.store.workspaces import Route

log = logging.getLogger(__name__)

STATE_SECONDS = 600  # how long an install link stays usable (bolt's default)
_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto">
<h1>{title}</h1><p>{text}</p></body></html>
"""


@dataclass(frozen=True)
class OAuthOptions:
    """The settings of multi-workspace mode, read by the runtime."""

    client_id: str
    client_secret: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class MultiWorkspace:
    """What multi-workspace mode holds: the installations, and each workspace's token."""

    options: OAuthOptions
    installations: AsyncSQLAlchemyInstallationStore
    tokens: InstalledTokens

    @classmethod
    def open(cls, store: Store, client: AsyncWebClient, options: OAuthOptions) -> "MultiWorkspace":
        """``client`` (``SLACK_API_URL``, no token) makes the install and refresh calls."""
        installations = AsyncSQLAlchemyInstallationStore(options.client_id, store.engine)
        rotator = AsyncTokenRotator(
            client_id=options.client_id, client_secret=options.client_secret, client=client
        )
        return cls(options, installations, InstalledTokens(store, installations, rotator))

    def bolt_arguments(self, store: Store, client: AsyncWebClient) -> dict[str, object]:
        """``AsyncApp`` arguments: bolt's OAuth flow and its authorize on these installations
        (refreshing rotating tokens through ``client``)."""
        authorize = AsyncInstallationStoreAuthorize(
            logger=log,
            installation_store=self.installations,
            client_id=self.options.client_id,
            client_secret=self.options.client_secret,
            cache_enabled=True,  # auth.test once per token, not once per request
            client=client,
        )
        return {
            "oauth_settings": self._settings(store),
            "authorize": authorize,
            "installation_store": self.installations,
            "user_facing_authorize_error_message": messages.NOT_INSTALLED_REPLY,
        }

    def _settings(self, store: Store) -> AsyncOAuthSettings:
        pages = InstallPages(store)
        return AsyncOAuthSettings(
            client_id=self.options.client_id,
            client_secret=self.options.client_secret,
            scopes=list(self.options.scopes),
            user_scopes=[],
            installation_store=self.installations,
            state_store=AsyncSQLAlchemyOAuthStateStore(STATE_SECONDS, store.engine),
            state_expiration_seconds=STATE_SECONDS,
            callback_options=AsyncCallbackOptions(success=pages.success, failure=pages.failure),
        )


class InstallPages:
    """The page a person sees at the end of an install: it worked, or why not."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def success(self, args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id and not installation.is_enterprise_install:
            route = Route(installation.team_id, installation.enterprise_id, False)
            await remember_route(self._store, route)
        name = installation.enterprise_name if installation.is_enterprise_install else None
        name = name or installation.team_name or installation.team_id or ""
        text = messages.INSTALL_SUCCESS.format(workspace=html.escape(name))
        return await _page(args.default.success(args), messages.INSTALL_SUCCESS_TITLE, text)

    async def failure(self, args: AsyncFailureArgs) -> BoltResponse:
        reason = messages.INSTALL_FAILURES.get(args.reason) or messages.INSTALL_FAILED_OTHER.format(
            reason=html.escape(args.reason)
        )
        return await _page(args.default.failure(args), messages.INSTALL_FAILED_TITLE, reason)


async def _page(default: Awaitable[BoltResponse], title: str, text: str) -> BoltResponse:
    """bolt's own response (its status and the header that clears the state cookie) with
    newsbot's page as the body."""
    response = await default
    response.body = _PAGE.format(title=html.escape(title), text=text)
    return response

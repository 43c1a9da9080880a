"""Which bot token to use for a workspace, outside a Slack request (deliveries, digests, DMs,
``users.info``): the one ``SLACK_BOT_TOKEN`` in single-workspace mode, or the workspace's
installation in multi-workspace mode, refreshed first when Slack's token rotation says it is
about to expire (bolt's own rotation, as in a request).

Inside a request bolt finds the token itself (its ``authorize``) from the same installations.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Protocol

import aiohttp
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from bot.news.publisher import UnreachableError, WorkspaceGoneError
from bot.store.database import Store
from bot.store.workspaces import Route, route_of

log = logging.getLogger(__name__)

NOT_INSTALLED = "not_installed"
# bolt's default: refresh a rotating token when it has less than this left.
ROTATE_MINUTES_BEFORE_EXPIRY = 120
# A token found is reused this long: a fan-out does not read the installation per message, and
# an uninstall seen by another replica stops this one within this time (Slack refuses the old
# token meanwhile, which marks the workspace uninstalled here too).
CACHE_SECONDS = 10.0


class Tokens(Protocol):
    async def bot_token(self, team_id: str) -> str:
        """The workspace's bot token; ``WorkspaceGoneError`` when there is none."""
        ...

    def forget(self, team_ids: list[str]) -> None:
        """Drop what is remembered about these workspaces (they were uninstalled)."""
        ...


@dataclass(frozen=True)
class SingleToken:
    """Single-workspace mode: ``SLACK_BOT_TOKEN`` for every workspace id."""

    token: str

    async def bot_token(self, team_id: str) -> str:
        return self.token

    def forget(self, team_ids: list[str]) -> None:
        """Nothing is remembered."""


@dataclass
class _Cached:
    token: str
    until: float


class InstalledTokens:
    """Multi-workspace mode: each workspace's token from the installation store."""

    def __init__(
        self, store: Store, installations: AsyncInstallationStore, rotator: AsyncTokenRotator
    ) -> None:
        self._store = store
        self._installations = installations
        self._rotator = rotator
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def bot_token(self, team_id: str) -> str:
        cached = self._cache.get(team_id)
        if cached is not None and cached.until > time.monotonic():
            return cached.token
        # One lookup (and at most one refresh) per workspace at a time.
        async with self._locks.setdefault(team_id, asyncio.Lock()):
            cached = self._cache.get(team_id)
            if cached is not None and cached.until > time.monotonic():
                return cached.token
            installation = await self._current(team_id)
            token = installation.bot_token or ""
            self._cache[team_id] = _Cached(token, time.monotonic() + CACHE_SECONDS)
            return token

    def forget(self, team_ids: list[str]) -> None:
        for team_id in team_ids:
            self._cache.pop(team_id, None)

    async def _current(self, team_id: str) -> Installation:
        installation = await self._find(team_id)
        try:
            refreshed = await self._rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
        except SlackTokenRotationError as error:
            reason = str(error.api_error.response.get("error") or "token_rotation_failed")
            raise WorkspaceGoneError(reason) from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise UnreachableError(str(error) or type(error).__name__) from error
        if refreshed is None:
            return installation
        await self._installations.async_save(refreshed)
        log.info("refreshed the bot token of workspace %s", team_id)
        return refreshed

    async def _find(self, team_id: str) -> Installation:
        async with self._store.sessions() as session:
            route = await route_of(session, team_id)
        installation = None if route is None else await self._installation(route)
        if installation is None or not installation.bot_token:
            raise WorkspaceGoneError(NOT_INSTALLED)
        return installation

    async def _installation(self, route: Route) -> Installation | None:
        return await self._installations.async_find_installation(
            enterprise_id=route.enterprise_id,
            team_id=route.installation_team,
            is_enterprise_install=route.is_enterprise_install,
        )

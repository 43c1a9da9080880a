"""Multi-workspace mode: an uninstall (``app_uninstalled``) or revoked bot tokens
(``tokens_revoked``) remove everything newsbot keeps about the workspace at once, so nothing
more is sent there; and a request from a workspace of an Enterprise Grid org that installed
newsbot org-wide records which installation serves that workspace, for its deliveries."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.news.delivery.workspaces import forget, remember_route
from bot.slack.tokens import Tokens
from bot.store.database import Store
from bot.store.workspaces import Route

log = logging.getLogger(__name__)

UNINSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


def register(app: AsyncApp, store: Store, tokens: Tokens) -> None:
    async def forget_installation(context: AsyncBoltContext) -> None:
        key = context.enterprise_id if context.is_enterprise_install else context.team_id
        if key:
            tokens.forget(await forget(store, key))

    async def on_uninstalled(context: AsyncBoltContext) -> None:
        await forget_installation(context)

    async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await forget_installation(context)

    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)
    app.use(OrgWorkspaces(store))


class OrgWorkspaces:
    """A global middleware: records which installation serves a workspace of an org that
    installed newsbot org-wide (a workspace's own install is recorded when it installs). Written
    on each such request rather than remembered in the process: after an uninstall and a new
    install, another replica must write it again."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def __call__(
        self,
        context: AsyncBoltContext,
        body: dict[str, Any],
        next_: Callable[[], Awaitable[None]],
    ) -> None:
        team_id = context.team_id
        uninstalling = (body.get("event") or {}).get("type") in UNINSTALL_EVENTS
        if team_id and context.is_enterprise_install and not uninstalling:
            route = Route(team_id, context.enterprise_id, is_enterprise_install=True)
            await remember_route(self._store, route)
        await next_()

"""The workspaces newsbot is installed in: remembering which installation serves a workspace,
the operator's list, and forgetting a workspace entirely (an uninstall, revoked tokens, a token
Slack no longer accepts, or ``newsbot workspaces remove``)."""

import logging

from bot.store.database import Store
from bot.store.workspaces import (
    InstalledWorkspace,
    Route,
    forget_workspace,
    installed_workspaces,
    save_route,
)

log = logging.getLogger(__name__)


async def remember_route(store: Store, route: Route) -> None:
    async with store.sessions.begin() as session:
        await save_route(session, route)


async def forget(store: Store, key: str) -> list[str]:
    """Remove everything kept about the workspace ``key`` (a team id, or an Enterprise Grid org
    id for an org-wide install) in one transaction; returns the workspaces removed."""
    async with store.sessions.begin() as session:
        teams = await forget_workspace(session, key)
    if teams:
        log.info("forgot workspace %s (%s)", key, ", ".join(teams))
    return teams


async def installed(store: Store) -> list[InstalledWorkspace]:
    async with store.sessions() as session:
        return await installed_workspaces(session)

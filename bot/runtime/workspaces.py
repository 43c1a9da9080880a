"""``newsbot workspaces``: the workspaces newsbot is installed in, and ``newsbot workspaces
remove TEAM``, which does what an uninstall does."""

import argparse
from datetime import datetime

from bot import messages
from bot.news.delivery.workspaces import forget, installed
from bot.runtime.settings import Settings
from bot.store import open_store
from bot.store.workspaces import InstalledWorkspace


async def run_workspaces(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings.database_url)
    try:
        if args.action == "remove":
            return _removed(args.team, await forget(store, args.team.strip()))
        listed = await installed(store)
    finally:
        await store.close()
    for workspace in listed:
        print(workspace_line(workspace))
    if not listed:
        print(messages.WORKSPACES_NONE)
    return 0


def _removed(key: str, teams: list[str]) -> int:
    if not teams:
        print(messages.WORKSPACE_UNKNOWN.format(key=key))
        return 1
    print(messages.WORKSPACE_REMOVED.format(key=key))
    return 0


def workspace_line(workspace: InstalledWorkspace) -> str:
    return messages.WORKSPACE_LINE.format(
        key=workspace.key,
        name=workspace.name or "-",
        kind="org-wide" if workspace.org_wide else "workspace",
        installed=_moment(workspace.installed_at),
        channels=workspace.channels,
        last=_moment(workspace.last_delivery),
        expires=_moment(workspace.token_expires_at),
    )


def _moment(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "never"

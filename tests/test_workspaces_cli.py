"""``newsbot workspaces`` as an operator runs it: the installed workspaces, and ``remove``."""

from pathlib import Path

from bot import messages
from bot.store import Store
from tests.support.installs import NEWSROOM, install, multi_workspace_bot, subscribe, subscribed
from tests.support.newsbot_process import run_newsbot
from tests.support.slack_emulator import SlackEmulator


async def test_workspaces_lists_installs_and_remove_forgets_one(
    store: Store, slack: SlackEmulator, posts_dir: Path, tmp_path: Path
) -> None:
    async with multi_workspace_bot(store, slack, posts_dir) as bot:
        await install(bot, NEWSROOM)
        await subscribe(bot.sender, slack, NEWSROOM)
    database = {"DATABASE_URL": store.url}
    listed = await run_newsbot(tmp_path, "workspaces", **database)
    removed = await run_newsbot(tmp_path, "workspaces", "remove", "T0NEWSROOM", **database)
    again = await run_newsbot(tmp_path, "workspaces", "remove", "T0NEWSROOM", **database)
    empty = await run_newsbot(tmp_path, "workspaces", **database)
    [line] = listed.stdout.splitlines()
    assert line.startswith("T0NEWSROOM  Newsroom  workspace, installed ")
    assert "1 subscribed channel(s)  last delivery never  token expires never" in line
    assert removed.status == 0
    assert removed.stdout == messages.WORKSPACE_REMOVED.format(key="T0NEWSROOM") + "\n"
    assert await subscribed(store, "T0NEWSROOM") == []
    assert again.status == 1
    assert again.stdout == messages.WORKSPACE_UNKNOWN.format(key="T0NEWSROOM") + "\n"
    assert empty.stdout == messages.WORKSPACES_NONE + "\n"

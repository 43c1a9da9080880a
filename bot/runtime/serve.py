"""``newsbot serve``: check the settings, then answer Slack until stopped, over HTTP (``POST
/slack/events``) or over Socket Mode (``--socket``). It listens at once, whatever the size of the
posts directory: new files are read in the background (``bot.runtime.tasks``), and answers given
meanwhile come from what is already stored."""

import argparse
import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable
from functools import partial

import aiohttp
from aiohttp import web
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.news.publisher import PublishError, UnreachableError
from bot.runtime.settings import (
    Settings,
    SettingsError,
    SlackMode,
    missing_history_scopes,
    require_slack,
)
from bot.runtime.startup import check_database, posts_dir_exists, say_in_log
from bot.runtime.state import Runtime, make_client, make_runtime
from bot.runtime.web import EVENTS_PATH, build_web_app
from bot.slack.publisher import granted_scopes
from bot.slack.socket_mode import NoSocketUrlError
from bot.slack.socket_mode import connect as socket_connect
from bot.store import Store, open_store
from bot.store.database import shown_url

log = logging.getLogger(__name__)

CleanupContext = Callable[[web.Application], AsyncIterator[None]]


class _SameTokenNotice(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment on its own, then warns that the client's
    token wins. Both come from the same setting, so the warning only confuses operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


async def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_SameTokenNotice())
    mode = require_slack(settings, socket_mode=args.socket)
    async with aiohttp.ClientSession() as http:  # one pool of connections to Slack for all calls
        client = make_client(settings, http)
        if mode is SlackMode.SINGLE:
            say_history_guarantee(await check_bot_token(client, settings))
        else:
            say_history_guarantee(settings.slack_scopes)
        await check_database(settings)
        store = await open_store(settings.database_url)
        store.damage.listeners.append(partial(_tell_damage, shown_url(settings.database_url)))
        posts_dir_exists(settings.posts_dir, say_in_log)
        try:
            await _serve(args, make_runtime(settings, store, client))
        finally:
            await store.close()
    return 0


async def _serve(args: argparse.Namespace, runtime: Runtime) -> None:
    app = build_web_app(runtime, slack_events=not args.socket)
    if args.socket:
        app.cleanup_ctx.append(socket_mode(runtime))
    settle_startup_objects()
    starting = starting_line(runtime.settings, runtime.store, args.socket)
    await serve_until_stopped(app, args.host, runtime.settings.port, args.socket, starting)


def say_history_guarantee(scopes: str) -> None:
    """Without the history scopes, crash recovery cannot look a message up: say what newsbot
    promises instead."""
    missing = missing_history_scopes(scopes)
    if missing:
        log.warning(messages.NO_HISTORY_SCOPES.format(scopes=" and ".join(missing)))


def _tell_damage(url: str, error: str) -> None:
    log.error(messages.DB_DAMAGED_NOTICED.format(url=url, error=error))


async def check_bot_token(client: AsyncWebClient, settings: Settings) -> str:
    """Ask Slack who the token belongs to, so a wrong token or URL stops start-up with one
    sentence instead of failing every request later; returns the token's scopes."""
    try:
        return await granted_scopes(client)
    except UnreachableError as error:
        detail = error.reason
        url = settings.slack_api_url
        raise SettingsError(messages.SLACK_UNREACHABLE.format(url=url, error=detail)) from None
    except PublishError as error:
        raise SettingsError(messages.BOT_TOKEN_REFUSED.format(error=error.reason)) from None


def starting_line(settings: Settings, store: Store, socket: bool) -> str:
    """What this ``serve`` uses, said once: an operator reading the log knows which database and
    posts it serves (the password is shown as ***)."""
    return messages.LOG_STARTING.format(
        mode="Socket Mode" if socket else "HTTP mode",
        database=shown_url(store.engine),
        posts_dir=settings.posts_dir.resolve(),
        metrics="on at /metrics" if settings.metrics else "off",
        level=logging.getLevelName(logging.getLogger().getEffectiveLevel()),
    )


def settle_startup_objects() -> None:
    """What start-up made (modules, the apps, caches) lives as long as the process. Frozen out of
    the garbage collector's full passes, it is no longer walked on each of them: those passes
    stopped the event loop for about 100 ms every few seconds under load."""
    gc.collect()
    gc.freeze()


def socket_mode(runtime: Runtime) -> CleanupContext:
    """Connect to Slack over Socket Mode while the application runs. The handler is made here,
    inside the running event loop, because its client starts tasks when it is constructed."""
    token = runtime.settings.slack_app_token
    app_token = token.get_secret_value().strip() if token is not None else ""

    async def connection(_app: web.Application) -> AsyncIterator[None]:
        # slack_sdk retries a refused token forever, so the first URL is asked for here, where
        # a refusal can stop start-up with one sentence.
        try:
            handler = await socket_connect(runtime.slack, runtime.client, app_token)
        except PublishError as error:
            raise SettingsError(messages.APP_TOKEN_REFUSED.format(error=error.reason)) from None
        except NoSocketUrlError:
            url = runtime.settings.slack_api_url
            raise SettingsError(messages.NO_SOCKET_URL.format(url=url)) from None
        yield
        await handler.close_async()  # type: ignore[no-untyped-call]

    return connection


async def serve_until_stopped(
    app: web.Application, host: str, port: int, socket: bool, starting: str = ""
) -> None:
    """Listen until SIGINT or SIGTERM; once listening, log ``starting`` and announce it."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            reason = error.strerror or str(error)
            raise SettingsError(
                messages.CANNOT_LISTEN.format(host=host, port=port, error=reason)
            ) from None
        if starting:
            log.info(starting)
        print(_announcement(host, port, socket), flush=True)
        await _stop_signal()
    finally:
        await runner.cleanup()


def _announcement(host: str, port: int, socket: bool) -> str:
    base = f"http://{host}:{port}"
    if socket:
        return messages.SERVING_SOCKET.format(url=base)
    return messages.SERVING_HTTP.format(url=base + EVENTS_PATH, health=base)


async def _stop_signal() -> None:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stopped.set)
    await stopped.wait()
    log.info("stopping")

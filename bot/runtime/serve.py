"""``newsbot serve``: check the settings, read the posts directory, then answer Slack until
stopped, over HTTP (``POST /slack/events``) or over Socket Mode (``--socket``)."""

import argparse
import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.news.publisher import PublishError, UnreachableError
from bot.runtime.settings import Settings, SettingsError, require_slack
from bot.runtime.startup import open_synced_store
from bot.runtime.state import Runtime, make_client, make_runtime
from bot.runtime.web import EVENTS_PATH, build_web_app
from bot.slack.publisher import calling
from bot.store import Store
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
    require_slack(settings, socket_mode=args.socket)
    client = make_client(settings)
    await check_bot_token(client, settings)
    store = await open_synced_store(settings, to_log=True)
    try:
        runtime = make_runtime(settings, store, client)
        app = build_web_app(runtime, slack_events=not args.socket)
        if args.socket:
            app.cleanup_ctx.append(socket_mode(runtime))
        settle_startup_objects()
        starting = starting_line(settings, store, args.socket)
        await serve_until_stopped(app, args.host, settings.port, args.socket, starting)
    finally:
        await store.close()
    return 0


async def check_bot_token(client: AsyncWebClient, settings: Settings) -> None:
    """Ask Slack who the token belongs to, so a wrong token or URL stops start-up with one
    sentence instead of failing every request later."""
    try:
        await calling(client.auth_test())
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
        # slack_sdk retries a refused token forever, so ask for the first URL here, where a
        # refusal can stop start-up with one sentence; the handler then connects to it.
        try:
            opened = await calling(runtime.client.apps_connections_open(app_token=app_token))
        except PublishError as error:
            raise SettingsError(messages.APP_TOKEN_REFUSED.format(error=error.reason)) from None
        handler = AsyncSocketModeHandler(runtime.slack, app_token, web_client=runtime.client)
        handler.client.wss_uri = opened["url"]
        await handler.connect_async()  # type: ignore[no-untyped-call]
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

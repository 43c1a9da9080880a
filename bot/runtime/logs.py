"""Where newsbot's log lines go and what they look like: ``LOG_LEVEL`` and ``LOG_FORMAT``.

``text`` (the default) is one readable line a record; ``json`` is one JSON object a line
(python-json-logger), with ``request_id``, ``team``, ``channel`` and ``post_id`` where they apply:
from the request being answered (``bot.slack.observe.LOG_CONTEXT``), or given by the code that
logs (``extra={"channel": …}``).
"""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from bot.runtime.settings import Settings, SettingsError, load_settings
from bot.slack.observe import LOG_CONTEXT

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message")
CONTEXT_FIELDS = ("request_id", "team", "channel", "post_id")
# LOG_LEVEL is the level of newsbot's own lines. The libraries' (Alembic announcing its dialect
# on every start, slack_sdk each retry, aiohttp each request) show from WARNING up, and all of
# them with LOG_LEVEL=DEBUG.
OWN_LOGGER = "bot"


class RequestContext(logging.Filter):
    """Copies the answered request's ids onto each record logged while answering it."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in LOG_CONTEXT.get({}).items():
            if value and not getattr(record, name, None):
                setattr(record, name, value)
        return True


def setup(command: str, verbose: bool) -> None:
    """Logging as the settings ask, before a command runs. Malformed settings leave the defaults
    here: the command then stops with the sentence that names the setting."""
    try:
        settings: Settings | None = load_settings()
    except SettingsError:
        settings = None
    configure_logging(
        level_for(settings.log_level if settings else None, command, verbose),
        settings.log_format if settings else "text",
    )


def level_for(log_level: str | None, command: str, verbose: bool) -> str:
    """``LOG_LEVEL``, or INFO for ``serve`` (its start-up line, deliveries, refusals) and WARNING
    for the one-shot commands, whose output is their answer; ``-v`` asks for INFO at least."""
    level = log_level or ("INFO" if command == "serve" else "WARNING")
    if verbose and logging.getLevelName(level) > logging.INFO:
        return "INFO"
    return level


def configure_logging(level: str, fmt: str) -> None:
    """Send every record at ``level`` or above to stderr as ``fmt`` (``text`` or ``json``)."""
    handler = log_handler(logging.StreamHandler(sys.stderr), fmt)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    own = logging.getLevelName(level)
    root.setLevel(own if own <= logging.DEBUG else max(own, logging.WARNING))
    logging.getLogger(OWN_LOGGER).setLevel(own)


def log_handler(handler: logging.Handler, fmt: str) -> logging.Handler:
    """``handler`` writing newsbot's lines as ``fmt``, with the request's ids."""
    handler.setFormatter(_formatter(fmt))
    handler.addFilter(RequestContext())
    return handler


def _formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(list(JSON_FIELDS), rename_fields={"levelname": "level"})
    return logging.Formatter(TEXT_FORMAT)

"""Settings, read once at start from the environment or a ``.env`` file, into one typed object."""

import re
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot import messages
from bot.posts.aliases import parse_aliases

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///newsbot.db"
# The bot scopes app.yaml asks for (tests/test_manifest.py keeps the two the same).
DEFAULT_SCOPES = (
    "commands,chat:write,chat:write.public,app_mentions:read,im:history,im:write,users:read,"
    "channels:history,groups:history"
)
# What the crash-recovery lookup needs (conversations.history in public and private channels).
HISTORY_SCOPES = ("channels:history", "groups:history")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_ASYNC_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def async_database_url(url: str) -> str:
    """Give a plain ``postgresql://`` or ``sqlite:///`` URL the async driver newsbot uses."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme in _ASYNC_DRIVERS:
        return f"{_ASYNC_DRIVERS[scheme]}://{rest}"
    return url


def check_database_url(url: str) -> str:
    """``url`` with newsbot's async driver, or ValueError (one sentence) if newsbot cannot use it:
    not a URL at all, another database (``mysql://``), or a driver newsbot does not install."""
    url = async_database_url(url.strip())
    try:
        address = make_url(url)
    except ArgumentError:
        raise ValueError(messages.BAD_DATABASE_URL) from None
    if address.drivername not in _ASYNC_DRIVERS.values():
        shown = address.render_as_string(hide_password=True)
        raise ValueError(messages.UNSUPPORTED_DATABASE_URL.format(url=shown))
    return url


class Settings(BaseSettings):
    """Every setting newsbot reads; the environment variable names are part of the contract."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str = DEFAULT_SCOPES
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = DEFAULT_DATABASE_URL
    posts_dir: Path = Field(
        default=Path("posts"), validation_alias=AliasChoices("NEWSBOT_POSTS_DIR", "posts_dir")
    )
    port: int = 3000
    ingest_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_INGEST_TOKEN", "ingest_token")
    )

    answer_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        validation_alias=AliasChoices("NEWSBOT_ANSWER_CACHE_SECONDS", "answer_cache_seconds"),
    )
    source_interval: float = Field(
        default=300.0,
        gt=0,
        validation_alias=AliasChoices("NEWSBOT_SOURCE_INTERVAL", "source_interval"),
    )
    sources_dir: Path = Field(
        default=Path("sources"),
        validation_alias=AliasChoices("NEWSBOT_SOURCES_DIR", "sources_dir"),
    )
    subscribe_policy: str = Field(
        default="anyone",
        validation_alias=AliasChoices("NEWSBOT_SUBSCRIBE_POLICY", "subscribe_policy"),
    )
    # None: INFO for `serve`, WARNING for the other commands (INFO with -v).
    log_level: str | None = None
    log_format: str = "text"
    metrics: bool = Field(
        default=False, validation_alias=AliasChoices("NEWSBOT_METRICS", "metrics")
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(messages.BAD_LOG_LEVEL.format(value=value))
        return level

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        fmt = value.strip().lower()
        if fmt not in ("text", "json"):
            raise ValueError(messages.BAD_LOG_FORMAT.format(value=value))
        return fmt

    field_aliases: str = Field(
        default="",
        validation_alias=AliasChoices("NEWSBOT_FIELD_ALIASES", "field_aliases"),
    )

    @field_validator("field_aliases")
    @classmethod
    def _readable_aliases(cls, value: str) -> str:
        parse_aliases(value)  # a ValueError names the pair it cannot use
        return value

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """The operator's front-matter names for post fields, by field."""
        return parse_aliases(self.field_aliases)

    @field_validator("subscribe_policy")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        return check_subscribe_policy(value)

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        return check_database_url(url)

    @field_validator("slack_scopes")
    @classmethod
    def _scope_list(cls, value: str) -> str:
        scopes = [scope.strip() for scope in value.split(",") if scope.strip()]
        if not scopes:
            raise ValueError(messages.BAD_SCOPES)
        return ",".join(scopes)

    @field_validator("slack_client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator(
        "slack_bot_token", "slack_signing_secret", "slack_app_token", "slack_client_secret"
    )
    @classmethod
    def _without_surrounding_space(cls, secret: SecretStr | None) -> SecretStr | None:
        # A token pasted with a trailing newline would otherwise fail every request.
        return SecretStr(secret.get_secret_value().strip()) if secret is not None else None

    @field_validator("port", mode="before")
    @classmethod
    def _port_number(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdecimal() or not 1 <= int(text) <= MAX_PORT:
            raise ValueError(messages.BAD_PORT.format(value=value))
        return int(text)

    @field_validator("slack_api_url")
    @classmethod
    def _web_api_url(cls, url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(messages.BAD_API_URL.format(value=url))
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return url.strip().rstrip("/") + "/"


MAX_PORT = 65_535


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one sentence naming it."""


def load_settings() -> Settings:
    """Read the settings, or raise SettingsError naming the first one that is malformed."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    problem = error.errors()[0]
    field = str(problem["loc"][0]) if problem["loc"] else ""
    cause = problem.get("ctx", {}).get("error")
    if isinstance(cause, ValueError):
        return str(cause)
    return messages.BAD_SETTING.format(name=env_name(field), problem=problem["msg"])


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return field.upper()


class SlackMode(Enum):
    """One workspace with ``SLACK_BOT_TOKEN``, or installs into many through OAuth."""

    SINGLE = "single"
    MULTI = "multi"


def slack_mode(settings: Settings) -> SlackMode:
    """Which mode the settings choose; SettingsError naming the settings when they mix both or
    give half of a pair."""
    bot_token = _secret(settings.slack_bot_token)
    client_id, client_secret = settings.slack_client_id, _secret(settings.slack_client_secret)
    if bot_token and (client_id or client_secret):
        raise SettingsError(messages.BOTH_MODES)
    if bool(client_id) != bool(client_secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        raise SettingsError(messages.HALF_CLIENT_PAIR.format(missing=missing))
    if not client_id:
        return SlackMode.SINGLE
    if not _secret(settings.slack_signing_secret):
        raise SettingsError(messages.MULTI_NEEDS_SIGNING_SECRET)
    return SlackMode.MULTI


def require_slack(settings: Settings, socket_mode: bool) -> SlackMode:
    """Check what ``newsbot serve`` needs before anything starts; raise SettingsError if not."""
    mode = slack_mode(settings)
    if mode is SlackMode.SINGLE:
        _require_bot_token(settings)
    if socket_mode:
        app_token = _secret(settings.slack_app_token)
        if not app_token:
            raise SettingsError(messages.MISSING_APP_TOKEN)
        if not app_token.startswith("xapp-"):
            raise SettingsError(messages.BAD_APP_TOKEN)
    elif not _secret(settings.slack_signing_secret):
        raise SettingsError(messages.MISSING_SIGNING_SECRET)
    return mode


def _require_bot_token(settings: Settings) -> None:
    bot_token = _secret(settings.slack_bot_token)
    if not bot_token:
        raise SettingsError(messages.MISSING_BOT_TOKEN)
    if not bot_token.startswith("xoxb-"):
        raise SettingsError(messages.BAD_BOT_TOKEN)


def missing_history_scopes(scopes: str) -> list[str]:
    """The crash-recovery scopes absent from a comma-separated scope list."""
    granted = {scope.strip() for scope in scopes.split(",")}
    return [scope for scope in HISTORY_SCOPES if scope not in granted]


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def check_subscribe_policy(value: str) -> str:
    """``anyone``, ``admins``, or a comma-separated list of Slack user ids."""
    policy = value.strip()
    if policy.lower() in ("anyone", "admins"):
        return policy.lower()
    user_ids = [part.strip() for part in policy.split(",") if part.strip()]
    if not user_ids or not all(_SLACK_USER_ID.fullmatch(user_id) for user_id in user_ids):
        raise ValueError(messages.BAD_SUBSCRIBE_POLICY.format(value=value))
    return ",".join(user_ids)

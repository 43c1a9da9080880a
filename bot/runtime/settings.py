"""Settings, read once at start from the environment or a ``.env`` file, into one typed object."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import messages

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///newsbot.db"
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


class Settings(BaseSettings):
    """Every setting newsbot reads; the environment variable names are part of the contract."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
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

    @field_validator("subscribe_policy")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        return check_subscribe_policy(value)

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        return async_database_url(url)

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token")
    @classmethod
    def _without_surrounding_space(cls, secret: SecretStr | None) -> SecretStr | None:
        # A token pasted with a trailing newline would otherwise fail every request.
        return SecretStr(secret.get_secret_value().strip()) if secret is not None else None

    @field_validator("port", mode="before")
    @classmethod
    def _port_number(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_PORT:
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


def require_slack(settings: Settings, socket_mode: bool) -> None:
    """Check what ``newsbot serve`` needs before anything starts; raise SettingsError if not."""
    bot_token = _secret(settings.slack_bot_token)
    if not bot_token:
        raise SettingsError(messages.MISSING_BOT_TOKEN)
    if not bot_token.startswith("xoxb-"):
        raise SettingsError(messages.BAD_BOT_TOKEN)
    if socket_mode:
        app_token = _secret(settings.slack_app_token)
        if not app_token:
            raise SettingsError(messages.MISSING_APP_TOKEN)
        if not app_token.startswith("xapp-"):
            raise SettingsError(messages.BAD_APP_TOKEN)
    elif not _secret(settings.slack_signing_secret):
        raise SettingsError(messages.MISSING_SIGNING_SECRET)


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

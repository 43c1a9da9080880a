"""Settings, read once at start from the environment or a ``.env`` file, into one typed object."""

import re
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import messages

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///newsbot.db"
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

    subscribe_policy: str = Field(
        default="anyone",
        validation_alias=AliasChoices("NEWSBOT_SUBSCRIBE_POLICY", "subscribe_policy"),
    )

    @field_validator("subscribe_policy")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        return check_subscribe_policy(value)

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        return async_database_url(url)


def check_subscribe_policy(value: str) -> str:
    """``anyone``, ``admins``, or a comma-separated list of Slack user ids."""
    policy = value.strip()
    if policy.lower() in ("anyone", "admins"):
        return policy.lower()
    user_ids = [part.strip() for part in policy.split(",") if part.strip()]
    if not user_ids or not all(_SLACK_USER_ID.fullmatch(user_id) for user_id in user_ids):
        raise ValueError(messages.BAD_SUBSCRIBE_POLICY.format(value=value))
    return ",".join(user_ids)

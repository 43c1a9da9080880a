"""Settings, read once at start from the environment or a ``.env`` file, into one typed object."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///newsbot.db"
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

    @field_validator("database_url")
    @classmethod
    def _use_async_driver(cls, url: str) -> str:
        return async_database_url(url)

"""Settings from the environment (prefix ``FRONTWIRE_``), read once per process."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator may set. Defaults suit a laptop: one SQLite file, no write key."""

    model_config = SettingsConfigDict(env_prefix="FRONTWIRE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./frontwire.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user:pw@host/db",
    )
    api_key: str | None = Field(
        default=None, description="Key required in X-API-Key for write endpoints; unset = writes off"
    )
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins")
    max_article_bytes: int = Field(default=2_000_000, description="Largest accepted article body")
    warm_up: bool = Field(
        default=True,
        description="Load the NLP pipeline in the background at start-up when writes are on",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings`` instead."""
    return Settings()

"""Settings from the environment (prefix ``FRONTWIRE_``), read once per process."""

from __future__ import annotations

import hashlib
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
        default=None,
        description="Key required in X-API-Key for write endpoints; unset = writes off",
    )
    api_key_hashes: list[str] = Field(
        default_factory=list,
        description="SHA-256 hex digests of accepted write keys, so the keys themselves need "
                    "not sit in the environment (`frontwire hash-key KEY` prints one)",
    )
    rate_limit_per_minute: int = Field(
        default=0, ge=0,
        description="Requests per minute per client address and worker process; 0 = off",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses or networks (or *) of the reverse proxies whose "
                    "X-Forwarded-For names the client; empty = the header is never trusted, "
                    "so a client cannot pick its own address (and rate-limit bucket)",
    )
    cors_origins: list[str] = Field(default_factory=list, description="Allowed CORS origins")
    max_article_bytes: int = Field(default=2_000_000, description="Largest accepted article body")
    extraction_timeout: float = Field(
        default=60.0, gt=0,
        description="Seconds one article's extraction may take; past it the worker process is "
                    "killed and the article fails (422 on POST, a failed line in the CLI)",
    )
    warm_up: bool = Field(
        default=True,
        description="Load the NLP pipeline in the background at start-up when writes are on",
    )
    cache_dir: str = Field(
        default="",
        description="Where the built gazetteer index is kept between runs; empty = "
                    "$XDG_CACHE_HOME/frontwire, else ~/.cache/frontwire",
    )

    def accepted_key_hashes(self) -> tuple[str, ...]:
        """Digests of every accepted write key: the configured ones and the plain key's."""
        hashes = [h.lower().removeprefix("sha256:") for h in self.api_key_hashes]
        if self.api_key:
            hashes.append(hash_key(self.api_key))
        return tuple(hashes)


def hash_key(key: str) -> str:
    """The form write keys are compared in (never the key itself)."""
    return hashlib.sha256(key.encode()).hexdigest()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings`` instead."""
    return Settings()

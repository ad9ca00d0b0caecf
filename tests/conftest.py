"""Shared fixtures: every database-touching test runs on SQLite AND on PostgreSQL.

``backend`` is parametrized (ids ``[sqlite]`` / ``[postgresql]``) and everything that needs a
database (``database_url``, ``session``, ``client``, ``seeded_url``, ``seeded_client``) hangs
off it, so one test function yields one test per backend.

PostgreSQL comes from ``FRONTWIRE_TEST_POSTGRES_URL`` (``source .ci/postgres.sh`` starts a
throwaway cluster and sets it). The migrations run once per session into a template database;
each test then gets ``CREATE DATABASE fw_<uuid> TEMPLATE ...`` (a file copy, ~tens of ms) and
drops it afterwards, so tests never see each other's rows. Without that variable the
PostgreSQL half is skipped with a reason, or fails when ``FRONTWIRE_REQUIRE_POSTGRES=1`` (CI).
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from app.config import Settings
from app.db import get_engine
from app.main import create_app
from app.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "seeds"
SEED_GOLD = FIXTURES / "seeds_gold"
DEV_ARTICLES = FIXTURES / "dev" / "articles"
DEV_GOLD = FIXTURES / "dev" / "gold"
API_KEY = "test-key"
POSTGRES_URL_ENV = "FRONTWIRE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "FRONTWIRE_REQUIRE_POSTGRES"
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql)]


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def make_database(tmp_path: Path) -> str:
    """A fresh SQLite database under ``tmp_path``, built by the migrations."""
    url = f"sqlite:///{tmp_path / 'frontwire.db'}"
    upgrade(url)
    return url


def ingest_seeds(url: str) -> None:
    """Ingest every seed article into the database at ``url``."""
    from app.ingest.service import ingest_text

    with Session(get_engine(url)) as db_session:
        for path in sorted(SEEDS.glob("*.txt")):
            ingest_text(db_session, path.read_text(encoding="utf-8"))


def dispose(url: str, *engines: Engine) -> None:
    """Close every pooled connection to ``url``.

    ``get_engine`` is an LRU cache: an engine handed to an app may have been evicted since, so
    the caller's own reference is closed as well as whatever the cache holds now.
    """
    seen: dict[int, Engine] = {id(e): e for e in (*engines, get_engine(url))}
    for engine in seen.values():
        engine.dispose()


@dataclass
class PostgresServer:
    """A reachable PostgreSQL server with a migrated template database for this session."""

    admin: Engine
    base_url: str
    template: str
    seeded_template: str | None = None

    def url(self, database: str) -> str:
        return make_url(self.base_url).set(database=database).render_as_string(
            hide_password=False)

    def create(self, template: str | None = None) -> str:
        """A new database copied from ``template`` (default: the migrated, empty one)."""
        name = f"fw_{uuid.uuid4().hex}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.template}"'))
        return self.url(name)

    def drop(self, url: str, *engines: Engine) -> None:
        """Drop the database at ``url`` once its pools are closed (FORCE ends stragglers)."""
        dispose(url, *engines)
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def seeded(self) -> str:
        """A new database holding the seeds: ingested once per session, then copied."""
        if self.seeded_template is None:
            url = self.create()
            ingest_seeds(url)
            dispose(url)
            self.seeded_template = make_url(url).database
        return self.create(self.seeded_template)


def _postgres_unavailable() -> None:
    reason = (f"PostgreSQL tests need {POSTGRES_URL_ENV} (run `source .ci/postgres.sh` "
              "or `make test-postgres`)")
    if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server with the migrations applied once to a template."""
    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        _postgres_unavailable()
    assert base_url is not None
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    server = PostgresServer(admin, base_url, template=f"fw_template_{uuid.uuid4().hex[:12]}")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{server.template}"'))
    template_url = server.url(server.template)
    upgrade(template_url)
    dispose(template_url)
    yield server
    for name in (server.seeded_template, server.template):
        if name:
            server.drop(server.url(name))
    admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on; a module runs all its SQLite tests, then PostgreSQL."""
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest,
                 tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    if backend == "sqlite":
        yield make_database(tmp_path)
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create()
    yield url
    server.drop(url)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with Session(get_engine(database_url)) as db_session:
        yield db_session


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as test_client:
        yield test_client
    dispose(database_url, app.state.engine)


@pytest.fixture(scope="session")
def _sqlite_seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested once per session into a SQLite file that modules copy."""
    url = make_database(tmp_path_factory.mktemp("seeded-template"))
    ingest_seeds(url)
    dispose(url)
    return Path(make_url(url).database or "")


def copy_sqlite(source: Path, target: Path) -> str:
    """Copy a SQLite database through the backup API (consistent even with a WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def seeded_url(backend: str, request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with both seed articles ingested (shared by a module's read-only tests)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_seeded_template")
        yield copy_sqlite(template, tmp_path_factory.mktemp("seeded") / "frontwire.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.seeded()
    yield url
    server.drop(url)


@pytest.fixture(scope="module")
def seeded_client(seeded_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=seeded_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as test_client:
        yield test_client
    dispose(seeded_url, app.state.engine)

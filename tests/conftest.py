"""Shared fixtures: a migrated temporary database per test module, an app bound to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
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


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def make_database(tmp_path: Path) -> str:
    """A fresh SQLite database under ``tmp_path``, built by the migrations."""
    url = f"sqlite:///{tmp_path / 'frontwire.db'}"
    upgrade(url)
    return url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return make_database(tmp_path)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with Session(get_engine(database_url)) as db_session:
        yield db_session


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with both seed articles ingested (shared by a module's read-only tests)."""
    from app.ingest.service import ingest_text

    url = make_database(tmp_path_factory.mktemp("seeded"))
    with Session(get_engine(url)) as db_session:
        for path in sorted(SEEDS.glob("*.txt")):
            ingest_text(db_session, path.read_text(encoding="utf-8"))
    return url


@pytest.fixture(scope="module")
def seeded_client(seeded_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=seeded_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as test_client:
        yield test_client

"""PostgreSQL-specific checks: the migrated schema on a real server, and the same answers from
the API whether the seeds live in SQLite or in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.config import Settings
from app.main import create_app
from app.migrate import alembic_config
from app.models import metadata
from tests.conftest import API_KEY, PostgresServer, copy_sqlite, dispose

pytestmark = pytest.mark.postgresql


def _pg_indexes(url: str) -> dict[str, str]:
    """``indexname -> indexdef`` for every index in the public schema."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
            # not dict(rows): a Result has .keys(), so dict() would read it as a mapping
            return {name: definition for name, definition in rows}  # noqa: C416
    finally:
        engine.dispose()


def _pg_tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            return {name for (name,) in rows}
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.create()
    yield url
    postgres_server.drop(url)


def test_migrated_tables_are_the_models_tables(pg_url: str) -> None:
    assert _pg_tables(pg_url) == set(metadata.tables) | {"alembic_version"}


def test_every_model_index_exists_on_postgresql(pg_url: str) -> None:
    indexes = _pg_indexes(pg_url)
    expected = {index.name for table in metadata.tables.values() for index in table.indexes}
    assert expected, "the models declare no index"
    assert expected <= set(indexes), sorted(expected - set(indexes))
    assert "ix_event_country_date" in indexes
    assert "(country, date_start)" in indexes["ix_event_country_date"]


def test_excerpt_search_uses_gin_indexes_once_migrated(pg_url: str) -> None:
    """From revision 0002 on, full-text search on PostgreSQL is backed by GIN indexes."""
    revisions = {rev.revision for rev in
                 ScriptDirectory.from_config(alembic_config(pg_url)).walk_revisions()}
    if "0002" not in revisions:
        pytest.skip("revision 0002 (full-text search) not written yet")
    gin = {name for name, definition in _pg_indexes(pg_url).items() if "USING gin" in definition}
    assert {"ix_event_excerpt_fts", "ix_figure_excerpt_fts"} <= gin


def test_ids_come_from_sequences(pg_url: str) -> None:
    """Integer primary keys must be identity/serial columns, or inserts without ids fail."""
    engine = create_engine(pg_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            for table in ("article", "event", "figure", "place", "actor"):
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
                assert sequence, f"{table}.id has no sequence"
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def both_clients(postgres_server: PostgresServer, _sqlite_seeded_template: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """The seeds ingested into each backend, one API client per backend."""
    urls = {"sqlite": copy_sqlite(_sqlite_seeded_template,
                                  tmp_path_factory.mktemp("both") / "frontwire.db"),
            "postgresql": postgres_server.seeded()}
    apps = {name: create_app(Settings(database_url=url, api_key=API_KEY, warm_up=False))
            for name, url in urls.items()}
    clients = {name: TestClient(app) for name, app in apps.items()}
    for test_client in clients.values():
        test_client.__enter__()
    yield clients
    for name, test_client in clients.items():
        test_client.__exit__(None, None, None)
        dispose(urls[name], apps[name].state.engine)
    postgres_server.drop(urls["postgresql"])


def _without_clock(value: object) -> object:
    """Drop wall-clock stamps (``*_at``), which differ between two ingests of the same text."""
    if isinstance(value, dict):
        return {k: _without_clock(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list):
        return [_without_clock(v) for v in value]
    return value


def test_round_trip_gives_the_same_event_count(both_clients: dict[str, TestClient]) -> None:
    counts = {name: len(c.get("/v1/events", params={"limit": 500}).json()["items"])
              for name, c in both_clients.items()}
    assert counts["sqlite"] > 0
    assert counts["postgresql"] == counts["sqlite"]


@pytest.mark.parametrize("path", [
    "/v1/events?limit=500",
    "/v1/events?country=RU&limit=500",
    "/v1/events?date_from=2022-02-01&date_to=2022-12-31&limit=500",
    "/v1/events?q=Shebekino&limit=500",
    "/v1/figures?limit=500",
    "/v1/figures?hedged=true&limit=500",
    "/v1/articles",
    "/v1/places?limit=500",
    "/v1/actors?limit=500",
    "/v1/stats/timeline?interval=month",
    "/v1/stats/country",
    "/v1/stats/type",
    "/v1/stats/actor",
    "/v1/stats/place",
    "/v1/stats/admin1",
    "/v1/stats/counts",
    "/v1/stats/timeline?interval=week",
])
def test_both_backends_answer_alike(both_clients: dict[str, TestClient], path: str) -> None:
    answers = {}
    for name, test_client in both_clients.items():
        response = test_client.get(path)
        assert response.status_code == 200, (name, response.text[:300])
        answers[name] = _without_clock(response.json())
    assert answers["postgresql"] == answers["sqlite"], _first_difference(
        answers["sqlite"], answers["postgresql"])


def _first_difference(left: object, right: object, where: str = "") -> str:
    """Where two JSON values first differ, as ``path: sqlite != postgresql``."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if left.get(key) != right.get(key):
                return _first_difference(left.get(key), right.get(key), f"{where}.{key}")
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{where}: {len(left)} items on sqlite, {len(right)} on postgresql"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{where}[{index}]")
    return f"{where}: sqlite {left!r} != postgresql {right!r}"


@pytest.mark.parametrize("path", [
    "/v1/events/2147483648",
    "/v1/articles/2147483648",
    "/v1/events?article_id=2147483648",
    "/v1/places?q=a%00b",
    "/v1/events?q=a%00b",
    "/v1/events?actor=%00",
    "/v1/articles?language=%00",
])
def test_values_postgresql_cannot_store_are_refused_not_500(
        both_clients: dict[str, TestClient], path: str) -> None:
    """int4 ids and NUL bytes are errors inside PostgreSQL; the API must answer 4xx or empty."""
    for name, test_client in both_clients.items():
        status = test_client.get(path).status_code
        assert status in (200, 404, 422), (name, status)


@pytest.mark.parametrize("field", ["title", "author", "publisher"])
def test_nul_in_posted_metadata_is_not_a_500(client: TestClient, field: str) -> None:
    """SQLite stores U+0000, PostgreSQL refuses it: either way the answer is 201 or 4xx."""
    text = (Path(__file__).parent / "fixtures" / "dev" / "articles" / "sounion_short.txt")
    response = client.post("/v1/articles", headers={"X-API-Key": API_KEY},
                           json={"text": text.read_text(encoding="utf-8"), field: "A\x00B"})
    assert response.status_code in (201, 400, 422), response.text[:200]
    if response.status_code == 201:
        assert "\x00" not in (response.json().get(field) or "")

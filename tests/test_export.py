"""CSV (RFC 4180) and GeoJSON (RFC 7946) exports: parsed back and checked against the lists."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session

from app.config import Settings
from app.db import get_engine
from app.export import EVENT_COLUMNS, FIGURE_COLUMNS
from app.main import create_app
from app.models import Article, Event
from tests.conftest import API_KEY
from tests.paging import all_items


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(("path", "columns", "key"), [
    ("/v1/events", EVENT_COLUMNS, "event_id"),
    ("/v1/figures", FIGURE_COLUMNS, "figure_id"),
])
def test_csv_has_one_row_per_record(seeded_client: TestClient, path: str,
                                    columns: tuple[str, ...], key: str) -> None:
    response = seeded_client.get(path, params={"format": "csv", "country": "RU"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.endswith("\r\n") and "\r\n" in response.text.split("\n")[0] + "\n"
    rows = _csv(response.text)
    assert tuple(rows[0].keys()) == columns
    records = all_items(seeded_client, path, country="RU")
    assert [int(r[key]) for r in rows] == [r["id"] for r in records]


def test_csv_excerpts_survive_quoting(seeded_client: TestClient) -> None:
    rows = _csv(seeded_client.get("/v1/events", params={"format": "csv"}).text)
    texts = {a["id"]: seeded_client.get(f"/v1/articles/{a['id']}").json()["text"]
             for a in seeded_client.get("/v1/articles").json()["items"]}
    assert any("," in r["excerpt"] or '"' in r["excerpt"] for r in rows)
    for row in rows:
        text = texts[int(row["article_id"])]
        assert text[int(row["excerpt_start"]):int(row["excerpt_end"])] == row["excerpt"]


def test_csv_by_accept_header_and_limit(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/figures", params={"limit": 2},
                                 headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert len(_csv(response.text)) == 2


def test_geojson_follows_rfc_7946(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/events", params={"format": "geojson"})
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    events = {e["id"]: e for e in all_items(seeded_client, "/v1/events", page_size=100)}
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(events)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert all(not isinstance(v, dict | list) for v in feature["properties"].values())
        place = events[feature["id"]]["place"]
        if feature["geometry"] is None:
            assert place is None or place["lat"] is None
            continue
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) == (place["lon"], place["lat"])  # lon first


def test_geojson_of_figures_by_accept_header(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/figures", headers={"Accept": "application/geo+json"},
                                 params={"counts": "troops"})
    features = response.json()["features"]
    assert features and all(f["properties"]["counts"] == "troops" for f in features)


def test_export_sort_must_be_id(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/events", params={"format": "csv", "sort": "-date"})
    assert response.status_code == 422


def test_ten_thousand_rows_stream_in_chunks(database_url: str) -> None:
    """Rows are written in batches as they are read, not assembled first."""
    engine = get_engine(database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        article = Article(sha256="0" * 64, text="x" * 100, language="en")
        session.add(article)
        session.commit()
        session.execute(insert(Event), [
            {"article_id": article.id, "type": "shelling", "sentence_index": i,
             "excerpt_text": f"Shelling, number {i}.", "excerpt_start": 0, "excerpt_end": 10,
             "date_precision": "unknown", "created_at": now, "updated_at": now}
            for i in range(10_000)])
        session.commit()
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as client, client.stream(
            "GET", "/v1/events", params={"format": "csv", "count": "true"}) as response:
        assert response.headers["X-Total-Count"] == "10000"
        chunks = list(response.iter_text())
    assert len(chunks) > 5
    rows = _csv("".join(chunks))
    assert len(rows) == 10_000 and rows[-1]["excerpt"] == "Shelling, number 9999."

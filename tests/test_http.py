"""HTTP behaviour: ETag/304, Cache-Control, gzip, CORS, /v1/meta, stats that agree with lists."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY
from tests.paging import all_items


def test_etag_answers_304_until_the_data_changes(client: TestClient) -> None:
    first = client.get("/v1/events", params={"limit": 5})
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/v1/events", params={"limit": 5}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/v1/events", params={"limit": 6}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    posted = client.post("/v1/articles", headers={"X-API-Key": API_KEY}, json={
        "text": "GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday.\n"})
    assert posted.status_code == 201
    changed = client.get("/v1/events", params={"limit": 5}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_cached_aggregations_follow_every_write(client: TestClient) -> None:
    """Stats are cached per data version: a POST and a DELETE must both show at once."""
    assert client.get("/v1/stats/type").json() == []
    posted = client.post("/v1/articles", headers={"X-API-Key": API_KEY}, json={
        "text": "GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday.\n"}).json()
    after_post = client.get("/v1/stats/type").json()
    assert sum(b["events"] for b in after_post) == posted["event_count"] > 0
    client.delete(f"/v1/articles/{posted['id']}", headers={"X-API-Key": API_KEY})
    assert client.get("/v1/stats/type").json() == []


def test_etag_depends_on_the_format(seeded_client: TestClient) -> None:
    as_json = seeded_client.get("/v1/figures").headers["ETag"]
    as_csv = seeded_client.get("/v1/figures", headers={"Accept": "text/csv"}).headers["ETag"]
    assert as_json != as_csv


def test_large_responses_are_gzipped(seeded_client: TestClient) -> None:
    response = seeded_client.get("/v1/events", params={"limit": 100},
                                 headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.json()["items"]
    raw = seeded_client.get("/v1/events", params={"limit": 100},
                            headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


def test_cors_origins_come_from_settings(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url, cors_origins=["https://dash.example"],
                              warm_up=False))
    with TestClient(app) as client:
        allowed = client.get("/v1/events", headers={"Origin": "https://dash.example"})
        other = client.get("/v1/events", headers={"Origin": "https://evil.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://dash.example"
    assert "Access-Control-Allow-Origin" not in other.headers


def test_meta_counts_and_taxonomy(seeded_client: TestClient) -> None:
    meta = seeded_client.get("/v1/meta").json()
    events = all_items(seeded_client, "/v1/events", page_size=100)
    assert meta["counts"]["events"] == len(events)
    assert meta["counts"]["articles"] == len(seeded_client.get("/v1/articles").json()["items"])
    assert {e["type"] for e in events} <= {t["type"] for t in meta["taxonomy"]}
    assert "killed" in meta["vocabularies"]["counts"] and meta["limits"]["page"] == 500
    assert meta["last_ingest"] and meta["data_version"] != "0.0.0"


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timeline_counts_every_dated_event(seeded_client: TestClient, interval: str) -> None:
    buckets = seeded_client.get("/v1/stats/timeline", params={"interval": interval}).json()
    events = all_items(seeded_client, "/v1/events", page_size=100)
    assert sum(b["events"] for b in buckets) == sum(1 for e in events if e["date"]["start"])
    assert [b["key"] for b in buckets] == sorted(b["key"] for b in buckets)
    if interval == "month":
        assert all(b["key"].endswith("-01") for b in buckets)


@pytest.mark.parametrize("dimension", ["country", "type", "actor", "place", "admin1"])
def test_breakdown_agrees_with_the_filtered_list(seeded_client: TestClient,
                                                 dimension: str) -> None:
    buckets = seeded_client.get(f"/v1/stats/{dimension}").json()
    assert buckets
    top = buckets[0]
    parameter = {"type": "type", "country": "country", "actor": "actor", "place": "place",
                 "admin1": "admin1"}[dimension]
    listed = all_items(seeded_client, "/v1/events", page_size=100, **{parameter: top["key"]})
    assert top["events"] == len(listed)
    # stats add up the figures about the occurrence itself (scope event)
    assert top["figures"] == sum(f["scope"] == "event" for e in listed for f in e["figures"])


def test_figure_sums_per_counts(seeded_client: TestClient) -> None:
    buckets = {b["key"]: b for b in seeded_client.get("/v1/stats/counts").json()}
    troops = all_items(seeded_client, "/v1/figures", counts="troops")
    assert buckets["troops"]["figures"] == len(troops)
    expected = sum(next(v for v in (f["si_value"], f["value"], f["low"], f["high"])
                        if v is not None) for f in troops)
    assert buckets["troops"]["figure_sum"] == pytest.approx(expected)


def test_places_and_actors_have_counts_and_name_search(seeded_client: TestClient) -> None:
    places = all_items(seeded_client, "/v1/places", q="kur")
    assert places and all(p["name"].lower().startswith("kur") for p in places)
    for place in places:
        assert place["events"] == len(
            all_items(seeded_client, "/v1/events", place=str(place["id"])))
    actors = all_items(seeded_client, "/v1/actors", kind="state")
    assert actors and all(a["kind"] == "state" and a["events"] > 0 for a in actors)

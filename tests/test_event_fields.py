"""The event as analysts code it, end to end: stored, filtered, summed, exported, served.

actor1/actor2 (with ``civilians``), fatalities, background, mentions, ``reported`` dates and
figure scopes go in through the store (hand-built drafts, ``tests/event_drafts.py``) and come
back through the API on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import get_engine
from app.ingest.store import store_draft
from app.main import create_app
from tests.conftest import API_KEY, dispose
from tests.event_drafts import KIVU, SAHEL, kivu_draft, sahel_draft


@pytest.fixture(scope="module")
def stored(backend: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    """Both drafts stored once per backend; the client and the article ids."""
    if backend == "sqlite":
        from tests.conftest import make_database

        url = make_database(tmp_path_factory.mktemp("event-fields"))
    else:
        url = request.getfixturevalue("postgres_server").create()
    with Session(get_engine(url)) as session:
        ids = {"sahel": store_draft(session, sahel_draft()).article_id,
               "kivu": store_draft(session, kivu_draft()).article_id}
    app = create_app(Settings(database_url=url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as client:
        yield client, ids
    dispose(url, app.state.engine)
    if backend != "sqlite":
        request.getfixturevalue("postgres_server").drop(url)


def _items(client: TestClient, path: str, **params: Any) -> list[dict]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _event(client: TestClient, article: int, type_: str) -> dict:
    found = [e for e in _items(client, "/v1/events", article_id=article,
                               include_background="true") if e["type"] == type_]
    assert len(found) == 1, found
    return found[0]


def test_every_new_field_round_trips(stored: tuple[TestClient, dict]) -> None:
    client, ids = stored
    attack = _event(client, ids["sahel"], "attack")
    assert attack["actor1"]["name"] == "JNIM" and attack["actor1"]["kind"] == "armed_group"
    assert {k: attack["actor2"][k] for k in ("name", "kind")} == {
        "name": "civilians", "kind": "civilians"}
    assert attack["fatalities"] == 12 and attack["background"] is False
    assert attack["incident_id"] is None
    assert [m["text"] for m in attack["mentions"]] == [
        "Gunmen attacked the village of Djibo on Tuesday, killing 12 civilians.",
        "Residents said the attackers burned the market in Djibo."]
    assert attack["excerpt"] == attack["mentions"][0]
    for mention in attack["mentions"]:
        assert SAHEL[mention["start"]:mention["end"]] == mention["text"]
    assert [f["scope"] for f in attack["figures"]] == ["event"]
    ambush = _event(client, ids["sahel"], "ambush")
    assert ambush["background"] is True and ambush["fatalities"] == 40
    assert ambush["actor2"]["name"] == "Burkina Faso" and ambush["actor2"]["kind"] == "state"
    shelling = _event(client, ids["kivu"], "shelling")
    assert shelling["date"] == {"start": "2024-10-26", "end": "2024-11-02",
                                "precision": "reported", "text": ""}
    assert shelling["actor2"] is None and shelling["mentions"] == [shelling["excerpt"]]
    assert client.get(f"/v1/events/{attack['id']}").json() == attack


def test_actor1_and_actor2_are_linked_for_the_actor_filter(
        stored: tuple[TestClient, dict]) -> None:
    client, _ = stored
    found = [e for e in _items(client, "/v1/events", actor="JNIM") if e["type"] == "attack"]
    assert len(found) == 1 and found[0]["actor2"]["name"] == "civilians"
    roles = {(a["name"], a["role"]) for a in found[0]["actors"]}
    assert ("JNIM", "initiator") in roles
    # unarmed people are actor2, never an actor link (not an actor of the article)
    assert not _items(client, "/v1/events", actor="civilians")


def test_background_events_are_left_out_unless_asked(stored: tuple[TestClient, dict]) -> None:
    client, ids = stored
    sahel = {e["type"] for e in _items(client, "/v1/events") if e["article_id"] == ids["sahel"]}
    assert sahel == {"attack"}
    assert {e["type"] for e in _items(client, "/v1/events", include_background="true")
            if e["article_id"] == ids["sahel"]} == {"attack", "ambush"}
    # one article's own list is what it says, background included (marked as such)
    own = _items(client, "/v1/events", article_id=ids["sahel"])
    assert {(e["type"], e["background"]) for e in own} == {("attack", False), ("ambush", True)}
    article = client.get(f"/v1/articles/{ids['sahel']}").json()
    assert (article["event_count"], article["figure_count"]) == (1, 3)  # as the lists show


def test_a_figure_with_no_event_is_stored_as_a_claim(stored: tuple[TestClient, dict]) -> None:
    """The war's toll is no event, but it is a claim: listed with its own sentence."""
    client, ids = stored
    figures = _items(client, "/v1/figures", article_id=ids["sahel"])
    loose = [f for f in figures if f["event_id"] is None]
    assert [(f["value"], f["scope"]) for f in loose] == [(20000, "cumulative")]
    assert loose[0]["excerpt"]["text"].startswith("The insurgency has killed")
    assert len(figures) == 3  # figure lists keep background events' figures


@pytest.mark.parametrize(("params", "expected"), [
    ({"fatalities_min": 10}, {"attack"}),
    ({"fatalities_min": 2}, {"attack", "shelling"}),
    ({"fatalities_min": 13}, set()),
    ({"fatalities_min": 13, "include_background": "true"}, {"ambush"}),
    ({"scope": "context"}, {"shelling"}),
    ({"scope": "cumulative"}, {"shelling"}),
    ({"incident_id": 1}, set()),
])
def test_event_filters(stored: tuple[TestClient, dict], params: dict, expected: set) -> None:
    client, _ = stored
    assert {e["type"] for e in _items(client, "/v1/events", **params)} == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"scope": "cumulative"}, {20000, 3000}),
    ({"scope": "context"}, {50000}),
    # figure lists keep the figures of background events (the ambush's 40)
    ({"scope": ["event", "context"], "fatalities_min": 2}, {12, 2, 50000, 40}),
    ({"scope": "event", "fatalities_min": 13}, {40}),
])
def test_figure_filters(stored: tuple[TestClient, dict], params: dict, expected: set) -> None:
    client, _ = stored
    assert {f["value"] for f in _items(client, "/v1/figures", **params)} == expected


@pytest.mark.parametrize("params", [{"fatalities_min": -1}, {"scope": "total"},
                                    {"include_background": "maybe"}])
def test_bad_values_answer_422(stored: tuple[TestClient, dict], params: dict) -> None:
    client, _ = stored
    assert client.get("/v1/events", params=params).status_code == 422


def test_sort_by_date_both_ways(stored: tuple[TestClient, dict]) -> None:
    client, _ = stored
    newest = _items(client, "/v1/events", sort="-date", include_background="true")
    assert [e["type"] for e in newest] == ["attack", "shelling", "ambush"]
    oldest = _items(client, "/v1/events", sort="date", include_background="true")
    assert [e["type"] for e in oldest] == ["ambush", "shelling", "attack"]


def _buckets(client: TestClient, path: str, **params: Any) -> dict[str, dict]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return {b["key"]: b for b in response.json()}


def test_stats_count_reported_events_and_event_figures_only(
        stored: tuple[TestClient, dict]) -> None:
    """3,000 (a year's toll) beside the two dead of one shelling would count them twice."""
    client, _ = stored
    by_type = _buckets(client, "/v1/stats/type", counts="killed")
    assert by_type["shelling"]["figure_sum"] == 2 and by_type["shelling"]["figures"] == 1
    assert "ambush" not in by_type
    cumulative = _buckets(client, "/v1/stats/type", counts="killed", scope="cumulative")
    assert cumulative["shelling"]["figure_sum"] == 3000
    by_country = _buckets(client, "/v1/stats/country")
    assert by_country["BF"]["events"] == 1 and by_country["CD"]["events"] == 1
    assert _buckets(client, "/v1/stats/country", include_background="true")["BF"]["events"] == 2
    counted = _buckets(client, "/v1/stats/counts")
    assert counted["killed"]["figure_sum"] == 2 and "population" not in counted
    timeline = _buckets(client, "/v1/stats/timeline", interval="month")
    assert set(timeline) == {"2024-10-01", "2025-03-01"}
    assert sum(b["events"] for b in timeline.values()) == 2


def test_csv_carries_acled_columns(stored: tuple[TestClient, dict]) -> None:
    pandas = pytest.importorskip("pandas")
    client, _ = stored
    response = client.get("/v1/events", params={"format": "csv", "include_background": "true"})
    frame = pandas.read_csv(io.BytesIO(response.content)).set_index("type")
    attack, shelling, ambush = (frame.loc[t] for t in ("attack", "shelling", "ambush"))
    assert (attack["fatalities"], attack["time_precision"], attack["geo_precision"]) == (12, 1, 1)
    assert (attack["actor1"], attack["actor2"]) == ("JNIM", "civilians")
    assert attack["source"] == "Sahel Monitor"
    assert attack["source_url"] == "https://example.org/sahel/djibo"
    assert attack["mentions"] == 2 and not attack["background"]
    assert (shelling["time_precision"], shelling["geo_precision"]) == (2, 3)
    assert shelling["date_precision"] == "reported" and shelling["place_kind"] == "country"
    assert pandas.isna(shelling["actor2"]) and shelling["source"] == "Kivu Dispatch"
    assert (ambush["time_precision"], ambush["geo_precision"], ambush["fatalities"]) == (3, 3, 40)
    assert bool(ambush["background"])
    assert "ambush" not in set(pandas.read_csv(io.BytesIO(
        client.get("/v1/events", params={"format": "csv"}).content))["type"])
    figures = pandas.read_csv(io.BytesIO(client.get(
        "/v1/figures", params={"format": "csv"}).content))
    assert set(figures["scope"]) == {"event", "cumulative", "context"}


def test_geojson_properties_carry_the_same(stored: tuple[TestClient, dict]) -> None:
    client, _ = stored
    body = client.get("/v1/events", params={"format": "geojson"}).json()
    by_type = {f["properties"]["type"]: f["properties"] for f in body["features"]}
    assert set(by_type) == {"attack", "shelling"}
    attack = by_type["attack"]
    assert (attack["fatalities"], attack["actor1"], attack["actor2"]) == (12, "JNIM", "civilians")
    assert (attack["time_precision"], attack["geo_precision"], attack["source"]) == (
        1, 1, "Sahel Monitor")
    assert by_type["shelling"]["geo_precision"] == 3


def test_meta_lists_the_new_vocabularies(stored: tuple[TestClient, dict]) -> None:
    client, _ = stored
    vocabularies = client.get("/v1/meta").json()["vocabularies"]
    assert set(vocabularies["scope"]) == {"event", "cumulative", "breakdown", "context"}
    assert "reported" in vocabularies["date_precision"]
    assert "civilians" in vocabularies["actor_kind"]


def test_deleting_an_article_removes_its_mentions(database_url: str) -> None:
    from sqlalchemy import text

    engine = get_engine(database_url)
    with Session(engine) as session:
        article_id = store_draft(session, kivu_draft()).article_id
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as client:
        assert client.delete(f"/v1/articles/{article_id}",
                             headers={"X-API-Key": API_KEY}).status_code in (200, 204)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event_mention")).scalar() == 0
    dispose(database_url, app.state.engine)
    assert KIVU  # the text the mentions pointed into


def test_a_figure_of_another_mention_keeps_its_own_sentence(
        stored: tuple[TestClient, dict]) -> None:
    """A merged event's figures come from any of its sentences; each excerpt holds its words."""
    client, ids = stored
    for figure in _items(client, "/v1/figures", article_id=ids["kivu"]):
        excerpt = figure["excerpt"]
        assert excerpt["start"] <= figure["start"] < figure["end"] <= excerpt["end"]
        assert KIVU[excerpt["start"]:excerpt["end"]] == excerpt["text"]
    toll = _items(client, "/v1/figures", article_id=ids["kivu"], scope="cumulative")
    assert [f["excerpt"]["text"] for f in toll] == [
        "The fighting has killed 3,000 people this year."]


def test_a_cumulative_toll_is_not_a_rival_claim(stored: tuple[TestClient, dict]) -> None:
    """The claims ledger compares like with like: a year's toll beside one shelling's dead
    is not a contested count."""
    client, ids = stored
    groups = _items(client, "/v1/claims", article_id=ids["kivu"], counts="killed",
                    min_claims=1)
    assert sorted(sorted(c["value"] for c in g["claims"]) for g in groups) == [[2], [3000]]
    assert not any(g["contested"] for g in groups)


def _parameters(spec: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}


def test_openapi_documents_the_new_fields_and_filters(stored: tuple[TestClient, dict]) -> None:
    client, _ = stored
    spec = client.get("/openapi.json").json()
    events = _parameters(spec, "/v1/events")
    assert {"fatalities_min", "include_background", "scope", "incident_id", "sort"} <= set(events)
    assert "scope" in _parameters(spec, "/v1/figures")
    claims_scope = _parameters(spec, "/v1/claims")["scope"]["schema"]
    assert claims_scope.get("enum") == ["place", "admin1", "country"]  # its own scope, kept
    schemas = spec["components"]["schemas"]
    event = schemas["EventPublic"]
    assert {"actor1", "actor2", "fatalities", "background", "mentions", "incident_id"} <= set(
        event["required"])
    assert "scope" in schemas["FigurePublic"]["properties"]
    assert "reported" in schemas["DatePublic"]["properties"]["precision"]["description"]

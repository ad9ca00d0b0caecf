"""Every filter of /v1/events and /v1/figures returns exactly the rows it promises."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient

from app.geodesy import haversine_km
from tests.paging import all_items


@pytest.fixture(scope="module")
def events(seeded_client: TestClient) -> list[dict]:
    return all_items(seeded_client, "/v1/events", page_size=100)


@pytest.fixture(scope="module")
def figures(seeded_client: TestClient) -> list[dict]:
    return all_items(seeded_client, "/v1/figures", page_size=100)


def test_admin1_and_place_match_whole_names_only(seeded_client: TestClient,
                                                  events: list[dict]) -> None:
    placed = next(e["place"] for e in events if e["place"] and e["place"]["admin1"])
    by_admin1 = all_items(seeded_client, "/v1/events", admin1=placed["admin1"].upper())
    assert by_admin1 and all(e["place"]["admin1"] == placed["admin1"] for e in by_admin1)
    assert all_items(seeded_client, "/v1/events", admin1=placed["admin1"][:-1]) == []
    by_name = all_items(seeded_client, "/v1/events", place=placed["name"])
    by_id = all_items(seeded_client, "/v1/events", place=str(placed["id"]))
    assert by_id and {e["id"] for e in by_id} <= {e["id"] for e in by_name}
    assert all_items(seeded_client, "/v1/events", place=placed["name"][:3]) == []


def test_repeated_parameter_means_or(seeded_client: TestClient, events: list[dict]) -> None:
    ukraine = {e["id"] for e in all_items(seeded_client, "/v1/events", actor="Ukraine")}
    russia = {e["id"] for e in all_items(seeded_client, "/v1/events", actor="Russia")}
    both = {e["id"] for e in all_items(seeded_client, "/v1/events", actor=["Ukraine", "Russia"])}
    assert ukraine and russia and ukraine != russia
    assert both == ukraine | russia


def test_actor_by_alias_and_by_id(seeded_client: TestClient) -> None:
    russia = all_items(seeded_client, "/v1/events", actor="Russia")
    actor_id = next(a["id"] for e in russia for a in e["actors"] if a["name"] == "Russia")
    by_alias = all_items(seeded_client, "/v1/events", actor="kremlin")
    by_id = all_items(seeded_client, "/v1/events", actor=str(actor_id))
    assert {e["id"] for e in by_alias} == {e["id"] for e in russia} == {e["id"] for e in by_id}


def test_acled_type_and_type(seeded_client: TestClient, events: list[dict]) -> None:
    acled = events[0]["acled_event_type"]
    hits = all_items(seeded_client, "/v1/events", acled_event_type=acled)
    assert {e["id"] for e in hits} == {e["id"] for e in events if e["acled_event_type"] == acled}


def test_figure_filters_on_events_find_events_carrying_such_figures(
        seeded_client: TestClient, events: list[dict]) -> None:
    hits = all_items(seeded_client, "/v1/events", counts="troops", min_value=250)
    expected = {e["id"] for e in events if any(
        f["counts"] == "troops" and max(v for v in (f["value"], f["high"], f["low"])
                                        if v is not None) >= 250 for f in e["figures"])}
    assert expected and {e["id"] for e in hits} == expected


def test_figures_by_value_range_claimant_and_hedge(seeded_client: TestClient,
                                                   figures: list[dict]) -> None:
    claimed = next(f for f in figures if f["claimant"])
    by_claimant = all_items(seeded_client, "/v1/figures", claimant=claimed["claimant"].lower())
    assert by_claimant and all(f["claimant"] == claimed["claimant"] for f in by_claimant)
    hedged = all_items(seeded_client, "/v1/figures", hedged="true")
    firm = all_items(seeded_client, "/v1/figures", hedged="false")
    assert hedged and firm and len(hedged) + len(firm) == len(figures)
    ranged = all_items(seeded_client, "/v1/figures", min_value=10, max_value=100)
    for figure in ranged:
        assert (figure["value"] or figure["high"] or figure["low"]) >= 10
        assert (figure["value"] or figure["low"] or figure["high"]) <= 100


def test_bbox_keeps_only_places_inside(seeded_client: TestClient, events: list[dict]) -> None:
    box = (35.0, 50.0, 37.5, 52.0)  # around Belgorod and Kursk
    hits = all_items(seeded_client, "/v1/events", bbox=",".join(map(str, box)))
    inside = {e["id"] for e in events if e["place"] and e["place"]["lon"] is not None
              and box[0] <= e["place"]["lon"] <= box[2] and box[1] <= e["place"]["lat"] <= box[3]}
    assert inside and {e["id"] for e in hits} == inside
    assert len(inside) < len(events)


def test_near_keeps_places_within_the_radius(seeded_client: TestClient,
                                             events: list[dict]) -> None:
    hits = all_items(seeded_client, "/v1/events", near="51.73,36.19", radius_km=150)
    within = {e["id"] for e in events if e["place"] and e["place"]["lat"] is not None
              and haversine_km(51.73, 36.19, e["place"]["lat"], e["place"]["lon"]) <= 150}
    assert within and {e["id"] for e in hits} == within


def test_distance_is_great_circle() -> None:
    assert math.isclose(haversine_km(50.45, 30.52, 55.75, 37.62), 756, rel_tol=0.01)  # Kyiv-Moscow


def test_undated_events_only_when_asked(seeded_client: TestClient, events: list[dict]) -> None:
    window = {"date_from": "2022-01-01", "date_to": "2022-12-31"}
    dated = all_items(seeded_client, "/v1/events", **window)
    with_undated = all_items(seeded_client, "/v1/events", include_undated="true", **window)
    undated = {e["id"] for e in events if e["date"]["start"] is None}
    assert dated and undated
    assert {e["id"] for e in with_undated} == {e["id"] for e in dated} | undated


def test_updated_since(seeded_client: TestClient, events: list[dict]) -> None:
    assert all_items(seeded_client, "/v1/events", updated_since="2999-01-01T00:00:00Z") == []
    since = min(e["updated_at"] for e in events)
    assert len(all_items(seeded_client, "/v1/events", updated_since=since)) == len(events)


@pytest.mark.parametrize(("q", "must"), [
    ("crossings", "cross"),               # stemmed: crossing, crossed, crosses
    ('"border crossing"', "border crossing"),
    ("Shebekino OR Kursk", None),
])
def test_full_text_search(seeded_client: TestClient, q: str, must: str | None) -> None:
    hits = all_items(seeded_client, "/v1/events", q=q)
    assert hits
    for event in hits:
        text = event["excerpt"]["text"].lower()
        assert (must in text) if must else ("shebekino" in text or "kursk" in text)


def test_full_text_exclusion_and_punctuation(seeded_client: TestClient) -> None:
    ukraine = all_items(seeded_client, "/v1/events", q="Ukraine")
    without = all_items(seeded_client, "/v1/events", q="Ukraine -incursion")
    assert ukraine and len(without) < len(ukraine)
    assert all("incursion" not in e["excerpt"]["text"].lower() for e in without)
    response = seeded_client.get("/v1/events", params={"q": '"*( )"'})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(("params", "name"), [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "10,60,20,50"}, "bbox"),            # min_lat > max_lat
    ({"bbox": "a,b,c,d"}, "bbox"),
    ({"near": "91,0"}, "near"),
    ({"near": "50"}, "near"),
    ({"limit": 501}, "limit"),
    ({"type": "massacre"}, "type"),
    ({"counts": "dead"}, "counts"),
    ({"country": "RUS"}, "country"),
    ({"date_from": "last week"}, "date_from"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"radius_km": 0, "near": "50,30"}, "radius_km"),
    ({"actor": "Hamas\x00"}, "actor"),              # PostgreSQL text cannot hold NUL
    ({"article_id": 2**31}, 0),                      # no id is that large
])
def test_invalid_values_answer_422_naming_the_parameter(seeded_client: TestClient,
                                                        params: dict, name: str) -> None:
    response = seeded_client.get("/v1/events", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(name in error["loc"] for error in detail), detail  # 0: first list item
    assert all(error["msg"] for error in detail)


def test_an_impossible_id_is_422_not_a_server_error(seeded_client: TestClient) -> None:
    assert seeded_client.get(f"/v1/events/{2**31}").status_code == 422
    assert seeded_client.get(f"/v1/articles/{2**40}").status_code == 422


def test_422_for_an_enum_lists_the_accepted_values(seeded_client: TestClient) -> None:
    message = seeded_client.get("/v1/figures", params={"unit": "furlong"}).json()["detail"][0]
    assert "km2" in message["msg"] and "person" in message["msg"]


def test_count_gives_total_and_header(seeded_client: TestClient, events: list[dict]) -> None:
    response = seeded_client.get("/v1/events", params={"count": "true", "limit": 3,
                                                       "country": "RU"})
    expected = len(all_items(seeded_client, "/v1/events", country="RU"))
    assert response.json()["total"] == expected == int(response.headers["X-Total-Count"])
    assert len(response.json()["items"]) == 3
    assert seeded_client.get("/v1/events").json()["total"] is None


@pytest.mark.parametrize("sort", ["id", "date", "-date"])
def test_sorted_paging_visits_each_event_once(seeded_client: TestClient, events: list[dict],
                                              sort: str) -> None:
    paged = all_items(seeded_client, "/v1/events", page_size=4, sort=sort)
    assert sorted(e["id"] for e in paged) == sorted(e["id"] for e in events)
    days = [e["date"]["start"] for e in paged if e["date"]["start"]]
    if sort != "id":
        assert days == sorted(days, reverse=sort == "-date")
        assert all(e["date"]["start"] is None for e in paged[len(days):])

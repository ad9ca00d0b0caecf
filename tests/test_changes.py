"""Sync: the change feed lists created and deleted ids; ids are never reused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import API_KEY, SEEDS
from tests.paging import all_items

FIRST_SEED = min(SEEDS.glob("*.txt"))
SUDAN = ("KHARTOUM, May 3 (Wire) - The Rapid Support Forces shelled Omdurman on Friday, "
         "killing at least 12 civilians, the Sudanese army said.\n")


def _post(client: TestClient, text: str) -> dict:
    response = client.post("/v1/articles", json={"text": text}, headers={"X-API-Key": API_KEY})
    assert response.status_code == 201, response.text
    return response.json()


def test_feed_lists_creations_then_tombstones(client: TestClient) -> None:
    article = _post(client, FIRST_SEED.read_text())
    events = all_items(client, "/v1/events", article_id=article["id"])
    figures = all_items(client, "/v1/figures", article_id=article["id"])
    created = all_items(client, "/v1/changes", page_size=11)
    assert {(c["entity"], c["id"]) for c in created} == (
        {("article", article["id"])} | {("event", e["id"]) for e in events}
        | {("figure", f["id"]) for f in figures})
    assert all(c["action"] == "created" for c in created)
    last_seq = created[-1]["seq"]
    assert client.delete(f"/v1/articles/{article['id']}",
                         headers={"X-API-Key": API_KEY}).status_code == 204
    later = all_items(client, "/v1/changes", after=last_seq)
    assert later and all(c["action"] == "deleted" and c["seq"] > last_seq for c in later)
    assert {(c["entity"], c["id"]) for c in later} == {(c["entity"], c["id"]) for c in created}
    assert all_items(client, "/v1/changes", entity="article", after=last_seq) == [
        c for c in later if c["entity"] == "article"]


def test_deleted_ids_are_never_reused(client: TestClient) -> None:
    first = _post(client, SUDAN)
    first_events = all_items(client, "/v1/events", article_id=first["id"])
    assert first_events
    client.delete(f"/v1/articles/{first['id']}", headers={"X-API-Key": API_KEY})
    second = _post(client, SUDAN.replace("Friday", "Saturday"))
    second_events = all_items(client, "/v1/events", article_id=second["id"])
    assert second["id"] > first["id"]
    assert min(e["id"] for e in second_events) > max(e["id"] for e in first_events)


def test_since_filters_by_time(client: TestClient) -> None:
    _post(client, SUDAN)
    changes = all_items(client, "/v1/changes")
    assert changes
    assert all_items(client, "/v1/changes", since="2999-01-01T00:00:00Z") == []
    assert len(all_items(client, "/v1/changes", since=changes[0]["at"])) == len(changes)


def test_records_carry_timestamps(client: TestClient) -> None:
    article = _post(client, SUDAN)
    for record in all_items(client, "/v1/events") + all_items(client, "/v1/figures"):
        assert record["created_at"] and record["updated_at"] >= record["created_at"]
    assert article["ingested_at"] and article["updated_at"]


@pytest.mark.parametrize("sort", ["id", "-date"])
def test_pages_do_not_shift_while_articles_arrive(client: TestClient, sort: str) -> None:
    """Keyset cursors: every event present at the start is seen exactly once."""
    _post(client, FIRST_SEED.read_text())
    before = {e["id"] for e in all_items(client, "/v1/events", sort=sort)}
    first = client.get("/v1/events", params={"limit": 5, "sort": sort}).json()
    _post(client, SUDAN)  # new rows arrive between two pages
    seen = [e["id"] for e in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/v1/events", params={"limit": 5, "sort": sort,
                                                "cursor": cursor}).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen))
    assert before <= set(seen)

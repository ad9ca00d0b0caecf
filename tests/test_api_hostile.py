"""Hostile values a client can put in a cursor or a time: each answers 422, never 500.

Cursors are base64 JSON the client hands back, so a forged one can hold anything JSON can:
a bool where the id goes (``True`` is an ``int`` in Python), an integer past 64 bits (SQLite
and PostgreSQL overflow binding it), or 3,000 nested arrays (the JSON parser recurses).
Times are ISO 8601 with any offset; converting an offset near the end of year 9999 to UTC
leaves datetime's range.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

LISTS = ["/v1/events", "/v1/events?sort=-date", "/v1/events?format=csv", "/v1/figures",
         "/v1/figures?format=geojson", "/v1/articles", "/v1/places", "/v1/actors",
         "/v1/changes", "/v1/claims"]


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


FORGED = {
    "id past 64 bits": _cursor({"id": 9223372036854775808}),
    "id past 32 bits": _cursor({"id": 2**31}),
    "negative id": _cursor({"id": -1}),
    "bool id": _cursor({"id": True}),
    "float id": _cursor({"id": 1.5}),
    "3000-deep arrays": base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode(),
    "3000-deep objects": base64.urlsafe_b64encode(
        b'{"id":' * 3000 + b"1" + b"}" * 3000).decode(),
    "date that is no date": _cursor({"id": 1, "d": 20240101}),
    "key that is no string": _cursor({"id": 1, "k": ["a"]}),
    "longer than any cursor we issue": _cursor({"id": 1, "k": "x" * 5000}),
}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name", list(FORGED))
def test_forged_cursor_answers_422(seeded_client: TestClient, path: str, name: str) -> None:
    separator = "&" if "?" in path else "?"
    response = seeded_client.get(f"{path}{separator}cursor={FORGED[name]}")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_issued_cursors_still_work(seeded_client: TestClient) -> None:
    """The checks refuse forgeries only: every next_cursor we hand out is accepted back."""
    for path in ("/v1/events", "/v1/events?sort=-date", "/v1/figures", "/v1/claims?min_claims=1"):
        separator = "&" if "?" in path else "?"
        page = seeded_client.get(f"{path}{separator}limit=2").json()
        assert page["next_cursor"], path
        again = seeded_client.get(f"{path}{separator}limit=2&cursor={page['next_cursor']}")
        assert again.status_code == 200 and again.json()["items"], path


@pytest.mark.parametrize(("path", "name"), [("/v1/changes", "since"),
                                            ("/v1/events", "updated_since"),
                                            ("/v1/figures", "updated_since"),
                                            ("/v1/stats/country", "updated_since")])
def test_a_time_without_offset_is_utc(seeded_client: TestClient, path: str, name: str) -> None:
    naive = seeded_client.get(path, params={name: "2024-01-01"})
    explicit = seeded_client.get(path, params={name: "2024-01-01T00:00:00Z"})
    assert naive.status_code == explicit.status_code == 200, naive.text
    assert naive.json() == explicit.json()


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+23:00"])
@pytest.mark.parametrize(("path", "name"), [("/v1/changes", "since"),
                                            ("/v1/events", "updated_since"),
                                            ("/v1/figures", "updated_since"),
                                            ("/v1/claims", "updated_since")])
def test_a_time_outside_utc_range_answers_422(seeded_client: TestClient, path: str, name: str,
                                              moment: str) -> None:
    response = seeded_client.get(path, params={name: moment})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", name] and "UTC" in detail["msg"]


def test_offsets_are_converted_before_comparing(seeded_client: TestClient) -> None:
    """A minute after the newest change, written at -05:00, finds nothing: the offset counts
    (comparing wall clocks would put it five hours earlier and find everything)."""
    changes = seeded_client.get("/v1/changes", params={"limit": 500}).json()["items"]
    newest = max(datetime.fromisoformat(c["at"]) for c in changes)
    later = (newest + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=-5)))
    for path, name in (("/v1/changes", "since"), ("/v1/events", "updated_since")):
        response = seeded_client.get(path, params={name: later.isoformat()})
        assert response.status_code == 200 and response.json()["items"] == [], path
        earlier = (newest - timedelta(minutes=1)).astimezone(timezone(timedelta(hours=5)))
        assert seeded_client.get(path, params={name: earlier.isoformat()}).json()["items"]

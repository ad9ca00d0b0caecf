"""Reading whole lists through the API the way a client must: following next_cursor."""

from __future__ import annotations

from fastapi.testclient import TestClient


def all_items(client: TestClient, path: str, page_size: int = 7, **params: object) -> list[dict]:
    """Every item of a list endpoint, following next_cursor (small pages on purpose)."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, "limit": page_size, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items

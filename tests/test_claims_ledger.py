"""/v1/claims: figures about the same thing grouped side by side, each with its claimant."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.paging import all_items


def _article_texts(client: TestClient) -> dict[int, str]:
    return {a["id"]: client.get(f"/v1/articles/{a['id']}").json()["text"]
            for a in client.get("/v1/articles").json()["items"]}


def test_groups_hold_like_figures(seeded_client: TestClient) -> None:
    groups = all_items(seeded_client, "/v1/claims", page_size=3, scope="country", min_claims=1)
    assert groups
    figures = {f["id"]: f for f in all_items(seeded_client, "/v1/figures", page_size=100)}
    texts = _article_texts(seeded_client)
    seen: set[int] = set()
    for group in groups:
        for claim in group["claims"]:
            figure = figures[claim["id"]]
            assert figure["counts"] == group["counts"] != "other"
            assert (figure["si_unit"] or figure["unit"]) == group["measure"]
            assert texts[claim["article_id"]][claim["start"]:claim["end"]] == claim["text"]
            assert claim["id"] not in seen
            seen.add(claim["id"])
    assert len({g["key"] for g in groups}) == len(groups)


def test_contested_group_shows_each_claimant(seeded_client: TestClient) -> None:
    groups = all_items(seeded_client, "/v1/claims", scope="country")
    assert groups
    for group in groups:
        assert len(group["claims"]) >= 2
        assert not group["contested"] or len(set(group["claimants"])) >= 2
        assert set(group["claimants"]) == {c["claimant"] for c in group["claims"]}
        values = [v for c in group["claims"] for v in (c["value"], c["low"], c["high"])
                  if v is not None]
        assert group["min_value"] <= min(values) and group["max_value"] >= max(values) or \
            group["measure"] in ("km", "km2")


def test_min_claims_and_filters_narrow_groups(seeded_client: TestClient) -> None:
    singles = all_items(seeded_client, "/v1/claims", min_claims=1)
    pairs = all_items(seeded_client, "/v1/claims", min_claims=2)
    assert len(pairs) < len(singles)
    assert all(len(g["claims"]) >= 2 for g in pairs)
    troops = all_items(seeded_client, "/v1/claims", min_claims=1, counts="troops")
    assert troops and all(g["counts"] == "troops" for g in troops)


def test_scope_country_merges_places(seeded_client: TestClient) -> None:
    by_place = all_items(seeded_client, "/v1/claims", min_claims=1)
    by_country = all_items(seeded_client, "/v1/claims", min_claims=1, scope="country")
    assert len(by_country) <= len(by_place)
    assert all("|country:" in g["key"] for g in by_country)
    assert sum(len(g["claims"]) for g in by_country) == sum(len(g["claims"]) for g in by_place)

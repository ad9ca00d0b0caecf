"""The v1 API over a database holding both seed articles: filters return the right rows."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.conftest import API_KEY, DEV_ARTICLES, ROOT


def _all(client: TestClient, path: str, **params: object) -> list[dict]:
    """Every item of a list endpoint, following next_cursor."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, "limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get(path, params=query).json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_health(seeded_client: TestClient) -> None:
    assert seeded_client.get("/health").json() == {"status": "ok", "database": "ok",
                                                   "writes": "ok", "reason": None}


def test_events_by_country_come_from_both_seeds(seeded_client: TestClient) -> None:
    events = _all(seeded_client, "/v1/events", country="RU")
    assert events, "no Russian events"
    assert all(e["place"]["country"] == "RU" for e in events)
    assert len({e["article_id"] for e in events}) == 2


def test_every_excerpt_points_into_its_article(seeded_client: TestClient) -> None:
    texts = {a["id"]: seeded_client.get(f"/v1/articles/{a['id']}").json()["text"]
             for a in seeded_client.get("/v1/articles").json()["items"]}
    events = _all(seeded_client, "/v1/events")
    figures = _all(seeded_client, "/v1/figures")
    assert events and figures
    for record in events + figures:
        excerpt = record["excerpt"]
        assert texts[record["article_id"]][excerpt["start"]:excerpt["end"]] == excerpt["text"]
    for figure in figures:
        assert texts[figure["article_id"]][figure["start"]:figure["end"]] == figure["text"]


def test_paging_returns_each_event_once(seeded_client: TestClient) -> None:
    paged = _all(seeded_client, "/v1/events")
    whole = seeded_client.get("/v1/events", params={"limit": 500}).json()["items"]
    assert [e["id"] for e in paged] == [e["id"] for e in whole]


def test_article_filter(seeded_client: TestClient) -> None:
    first = seeded_client.get("/v1/articles").json()["items"][0]["id"]
    events = _all(seeded_client, "/v1/events", article_id=first)
    assert events and {e["article_id"] for e in events} == {first}


def test_actor_filter_matches_exact_names(seeded_client: TestClient) -> None:
    events = _all(seeded_client, "/v1/events", actor="Ukraine")
    assert events
    assert all(any(a["name"] == "Ukraine" for a in e["actors"]) for e in events)
    assert _all(seeded_client, "/v1/events", actor="Ukr") == []


def test_type_and_date_filters(seeded_client: TestClient) -> None:
    events = _all(seeded_client, "/v1/events")
    a_type = events[0]["type"]
    typed = _all(seeded_client, "/v1/events", type=a_type)
    assert typed and all(e["type"] == a_type for e in typed)
    dated = _all(seeded_client, "/v1/events", date_from="2022-02-01", date_to="2022-02-28")
    assert dated and all(e["date"]["start"] <= "2022-02-28" and e["date"]["end"] >= "2022-02-01"
                         for e in dated)


def test_text_search(seeded_client: TestClient) -> None:
    hits = _all(seeded_client, "/v1/events", q="Shebekino")
    assert hits and all("shebekino" in e["excerpt"]["text"].lower() for e in hits)


def test_figure_filters(seeded_client: TestClient) -> None:
    figures = _all(seeded_client, "/v1/figures")
    hedged = _all(seeded_client, "/v1/figures", hedged="true")
    assert hedged and all(f["hedged"] for f in hedged)
    assert len(hedged) < len(figures)
    counts = figures[0]["counts"]
    same = _all(seeded_client, "/v1/figures", counts=counts)
    assert same and all(f["counts"] == counts for f in same)
    big = _all(seeded_client, "/v1/figures", min_value=100)
    assert all(max(v for v in (f["value"], f["low"], f["high"]) if v is not None) >= 100
               for f in big)


def test_event_detail_and_404(seeded_client: TestClient) -> None:
    first = seeded_client.get("/v1/events").json()["items"][0]
    assert seeded_client.get(f"/v1/events/{first['id']}").json() == first
    missing = seeded_client.get("/v1/events/999999")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]


def test_bad_parameters_answer_422(seeded_client: TestClient) -> None:
    assert seeded_client.get("/v1/events", params={"limit": 501}).status_code == 422
    assert seeded_client.get("/v1/events", params={"cursor": "nonsense"}).status_code == 422
    bad_date = seeded_client.get("/v1/events", params={"date_from": "last week"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"][0]["loc"] == ["query", "date_from"]


def test_post_needs_the_key(client: TestClient) -> None:
    text = (DEV_ARTICLES / "sounion_short.txt").read_text(encoding="utf-8")
    assert client.post("/v1/articles", json={"text": text}).status_code == 401
    wrong = client.post("/v1/articles", json={"text": text}, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401


def test_post_ingests_then_deduplicates(client: TestClient) -> None:
    text = (DEV_ARTICLES / "sounion_short.txt").read_text(encoding="utf-8")
    headers = {"X-API-Key": API_KEY}
    created = client.post("/v1/articles", json={"text": text}, headers=headers)
    assert created.status_code == 201
    article = created.json()
    assert article["event_count"] > 0 and article["published"] == "2024-08-22"
    again = client.post("/v1/articles", json={"text": text}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == article["id"]
    assert article["extraction"] == again.json()["extraction"] == "done"
    events = client.get("/v1/events", params={"article_id": article["id"]}).json()["items"]
    assert len(events) == article["event_count"]
    assert client.delete(f"/v1/articles/{article['id']}", headers=headers).status_code == 204
    assert client.get("/v1/events", params={"article_id": article["id"]}).json()["items"] == []


def test_post_rejects_empty_text(client: TestClient) -> None:
    response = client.post("/v1/articles", json={"text": "  \n "}, headers={"X-API-Key": API_KEY})
    assert response.status_code == 400


def test_writes_disabled_without_a_configured_key(database_url: str) -> None:
    from app.config import Settings
    from app.main import create_app

    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.post("/v1/articles", json={"text": "x"}, headers={"X-API-Key": "k"})
    assert response.status_code == 403
    assert "FRONTWIRE_API_KEY" in response.json()["detail"]


def test_docs_are_served_without_a_cdn(seeded_client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = seeded_client.get(page).text
        assert "cdn.jsdelivr" not in html and "unpkg" not in html
        assert "/static-offline-docs/" in html
    asset = seeded_client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


def test_api_import_does_not_load_spacy() -> None:
    import subprocess
    import sys

    code = "import sys, app.main; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_server_warms_the_pipeline_in_the_background(database_url: str) -> None:
    from app.config import Settings
    from app.ingest import worker_pool as pipeline  # the server warms its extraction worker
    from app.main import create_app

    calls: list[str] = []
    original = pipeline.warm_up
    pipeline.warm_up = lambda: calls.append("warm")  # type: ignore[assignment]
    try:
        app = create_app(Settings(database_url=database_url, api_key="k"))
        with TestClient(app):
            app.state.warm_up_thread.join(timeout=10)
        quiet = create_app(Settings(database_url=database_url, api_key="k", warm_up=False))
        with TestClient(quiet):
            assert quiet.state.warm_up_thread is None
    finally:
        pipeline.warm_up = original  # type: ignore[assignment]
    assert calls == ["warm"]


def test_warm_up_loads_the_model(database_url: str) -> None:
    from app.ingest import nlp
    from app.ingest.pipeline import warm_up

    warm_up()
    assert nlp.get_nlp.cache_info().currsize == 1


def test_places_with_counts_and_name_search(seeded_client: TestClient) -> None:
    places = _all(seeded_client, "/v1/places")
    events = _all(seeded_client, "/v1/events")
    per_place: dict[int, int] = {}
    for event in events:
        if event["place"]:
            per_place[event["place"]["id"]] = per_place.get(event["place"]["id"], 0) + 1
    assert {p["id"]: p["events"] for p in places} == per_place
    found = _all(seeded_client, "/v1/places", q="sheb")
    assert [p["name"] for p in found] and all(p["name"].lower().startswith("sheb") for p in found)


def test_actors_with_counts(seeded_client: TestClient) -> None:
    actors = {a["name"]: a for a in _all(seeded_client, "/v1/actors")}
    ukraine = _all(seeded_client, "/v1/events", actor="Ukraine")
    assert actors["Ukraine"]["events"] == len(ukraine) and actors["Ukraine"]["kind"] == "state"
    states = _all(seeded_client, "/v1/actors", kind="state")
    assert states and all(a["kind"] == "state" for a in states)


def test_stats_timeline_and_breakdowns(seeded_client: TestClient) -> None:
    events = _all(seeded_client, "/v1/events")
    months = seeded_client.get("/v1/stats/timeline", params={"interval": "month"}).json()
    dated = [e for e in events if e["date"]["start"]]
    assert sum(b["events"] for b in months) == len(dated)
    assert all(b["key"].endswith("-01") for b in months)
    by_type = seeded_client.get("/v1/stats/type").json()
    assert sum(b["events"] for b in by_type) == len(events)
    countries = {b["key"]: b["events"] for b in seeded_client.get("/v1/stats/country").json()}
    assert countries["RU"] == len(_all(seeded_client, "/v1/events", country="RU"))
    counts = seeded_client.get("/v1/stats/counts").json()
    figures = _all(seeded_client, "/v1/figures")
    counted = [f for f in figures if f["scope"] == "event" and f["event_id"] is not None]
    assert sum(b["figures"] for b in counts) == len(counted)
    assert seeded_client.get("/v1/stats/colour").status_code == 422
    assert seeded_client.get("/v1/stats/timeline", params={"interval": "hour"}).status_code == 422


def test_figures_by_their_event_country_and_actor(seeded_client: TestClient) -> None:
    events = {e["id"]: e for e in _all(seeded_client, "/v1/events")}
    russian = _all(seeded_client, "/v1/figures", country="RU")
    assert russian and all(events[f["event_id"]]["place"]["country"] == "RU" for f in russian)
    by_actor = _all(seeded_client, "/v1/figures", actor="Ukraine")
    assert by_actor and all(any(a["name"] == "Ukraine" for a in events[f["event_id"]]["actors"])
                            for f in by_actor)


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sorting_by_date_pages_through_every_event_once(seeded_client: TestClient,
                                                       sort: str) -> None:
    events = _all(seeded_client, "/v1/events", sort=sort)
    assert sorted(e["id"] for e in events) == sorted(
        e["id"] for e in _all(seeded_client, "/v1/events"))
    dated = [e["date"]["start"] for e in events if e["date"]["start"]]
    assert dated == sorted(dated, reverse=sort == "-date")
    first_undated = next(i for i, e in enumerate(events) if not e["date"]["start"])
    assert all(not e["date"]["start"] for e in events[first_undated:])


def test_openapi_documents_the_extraction_field_of_the_post_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    answer = spec["paths"]["/v1/articles"]["post"]["responses"]["201"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][name]
    assert "extraction" in schema["required"]
    field_schema = schema["properties"]["extraction"]
    assert "skipped: language" in field_schema["description"]
    pattern = re.compile(field_schema["pattern"])
    assert pattern.fullmatch("done") and pattern.fullmatch("skipped: language fr")
    assert not pattern.fullmatch("failed") and not pattern.fullmatch("skipped: language")
    listed = spec["components"]["schemas"]["ArticlePublic"]["properties"]
    assert "extraction" not in listed  # only the POST answer carries it


# --- the README's example commands, run as written against the seeds ---------------------

README = ROOT / "README.md"
LOCAL_SERVER = re.compile(r"^https?://(127\.0\.0\.1|localhost):8000")


@dataclass
class Curl:
    """One ``curl`` command from the README, reduced to the request it sends."""

    line: str
    method: str = "GET"
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    data: str | None = None


def readme_curls() -> list[Curl]:
    """Every ``curl`` to the local server in the README's ``sh`` blocks."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["curl"]:
                commands.append(_parse_curl(line, words[1:]))
    return [c for c in commands if LOCAL_SERVER.match(c.url)]


def _parse_curl(line: str, words: list[str]) -> Curl:
    curl = Curl(line=line)
    options = iter(words)
    for word in options:
        if word in ("-H", "--header"):
            name, value = next(options).split(":", 1)
            curl.headers[name.strip()] = value.strip()
        elif word in ("-X", "--request"):
            curl.method = next(options)
        elif word in ("-d", "--data"):
            curl.data = next(options)
        elif word in ("-o", "-w"):
            next(options)
        elif not word.startswith("-"):
            curl.url = word
    return curl


def _path(curl: Curl) -> str:
    parts = urlsplit(curl.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


GETS = [c for c in readme_curls() if c.method == "GET"]


def test_the_readme_examples_were_found() -> None:
    assert len(GETS) >= 10 and any(c.method == "POST" for c in readme_curls())


@pytest.mark.parametrize("curl", GETS, ids=[c.url.split(":8000")[-1] for c in GETS])
def test_each_readme_example_shows_something_on_the_seeds(seeded_client: TestClient,
                                                           curl: Curl) -> None:
    """An example that answers an empty list teaches nothing: each one finds seed records."""
    headers = dict(curl.headers)
    if "If-None-Match" in headers:
        assert "$" in headers["If-None-Match"], "a literal ETag goes stale at the next ingest"
        tag = seeded_client.get(_path(curl)).headers["etag"]
        response = seeded_client.get(_path(curl), headers={"If-None-Match": tag})
        assert response.status_code == 304, curl.line
        return
    response = seeded_client.get(_path(curl), headers=headers)
    assert response.status_code == 200, (curl.line, response.text[:300])
    if response.headers["content-type"].startswith("text/csv"):
        assert len(response.text.strip().splitlines()) > 1, f"no rows: {curl.line}"
        return
    body = response.json()
    rows = body.get("items", body.get("features", body)) if isinstance(body, dict) else body
    assert rows, f"empty on the seeds: {curl.line}"


def test_the_readme_post_example_ingests_with_at_least_unhedged(client: TestClient) -> None:
    """"At least N" is a lower bound stated as fact: unhedged, as the README says."""
    (post,) = [c for c in readme_curls() if c.method == "POST"]
    assert post.data is not None
    headers = {**post.headers, "X-API-Key": API_KEY}
    response = client.post(_path(post), content=post.data.encode(), headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["event_count"] > 0 and response.json()["extraction"] == "done"
    figures = client.get("/v1/figures", params={"article_id": response.json()["id"]}).json()
    (at_least,) = [f for f in figures["items"] if f["text"].lower().startswith("at least")]
    assert at_least["hedged"] is False and at_least["low"] == at_least["value"]
    assert "unhedged" in README.read_text(encoding="utf-8")

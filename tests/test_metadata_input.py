"""Article metadata from clients is checked: web links only, bounded lengths, clear reasons.

A stored ``url`` ends up in a link's ``href`` on the dashboard, so anything but an absolute
``http``/``https`` URL (``javascript:``, ``data:``, relative paths) is refused with a 422
naming the field; ``title``, ``author``, ``publisher`` and ``url`` have length limits (an
11 MB title was once accepted). The same rules hold for the CLI's sidecar ``NAME.meta.json``
and its ``--url`` flag, and ``/v1/meta`` publishes the limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import get_engine
from app.models import Article
from tests.conftest import API_KEY, DEV_ARTICLES

HEADERS = {"X-API-Key": API_KEY}
META_MAX_LENGTH = {"title": 1000, "author": 300, "publisher": 300, "url": 2048}  # characters
TEXT = (DEV_ARTICLES / "sounion_short.txt").read_text(encoding="utf-8")
HOSTILE_URLS = [
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
    "java\tscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.com/a.txt", "//evil.example/x",
    "/relative/path", "example.com/news", "http://", "https:///nohost", "mailto:a@b.example",
]


def _refused_field(response: object, field: str) -> str:
    """The message of the 422 that names ``field`` (fails if the answer is anything else)."""
    assert response.status_code == 422, response.text[:300]  # type: ignore[attr-defined]
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    assert [entry["loc"] for entry in detail] == [["body", field]], detail
    return str(detail[0]["msg"])


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_post_refuses_urls_that_are_not_web_links(client: TestClient, url: str) -> None:
    response = client.post("/v1/articles", headers=HEADERS, json={"text": TEXT, "url": url})
    assert "http" in _refused_field(response, "url")
    assert client.get("/v1/articles").json()["items"] == []


def test_post_keeps_web_links_as_sent(client: TestClient) -> None:
    url = "https://news.example.org/world/2024/08/06/sounion?ref=rss#top"
    response = client.post("/v1/articles", headers=HEADERS, json={"text": TEXT, "url": url})
    assert response.status_code == 201, response.text
    assert client.get(f"/v1/articles/{response.json()['id']}").json()["url"] == url


@pytest.mark.parametrize("field", sorted(META_MAX_LENGTH))
def test_post_refuses_metadata_over_its_length_limit(client: TestClient, field: str) -> None:
    limit = META_MAX_LENGTH[field]
    value = "https://example.org/" + "a" * limit if field == "url" else "A" * (limit + 1)
    response = client.post("/v1/articles", headers=HEADERS, json={"text": TEXT, field: value})
    assert str(limit) in _refused_field(response, field)


def test_an_eleven_megabyte_title_is_refused(client: TestClient) -> None:
    response = client.post("/v1/articles", headers=HEADERS,
                           json={"text": TEXT, "title": "T" * 11_000_000})
    _refused_field(response, "title")


def test_metadata_at_the_limits_is_stored(client: TestClient) -> None:
    url = "https://example.org/" + "u" * (META_MAX_LENGTH["url"] - len("https://example.org/"))
    sent = {"title": "T" * META_MAX_LENGTH["title"], "author": "A" * META_MAX_LENGTH["author"],
            "publisher": "P" * META_MAX_LENGTH["publisher"], "url": url}
    response = client.post("/v1/articles", headers=HEADERS, json={"text": TEXT, **sent})
    assert response.status_code == 201, response.text[:300]
    stored = client.get(f"/v1/articles/{response.json()['id']}").json()
    assert {field: stored[field] for field in sent} == sent


def test_a_title_found_in_the_page_is_cut_to_the_title_limit(client: TestClient) -> None:
    """Metadata read from the article itself (no client field to refuse) is cut, not refused."""
    headline = " ".join(["Ceasefire talks stall again"] * 100)  # 2,799 characters
    page = (f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
            "<p>GOMA - M23 rebels seized the mining town of Rubaya in North Kivu province on "
            "Tuesday after fighting with the Congolese army, local officials said.</p>"
            "<p>At least 30 soldiers were killed, a civil society group said.</p>"
            "</article></body></html>")
    response = client.post("/v1/articles", headers={**HEADERS, "Content-Type": "text/html"},
                           content=page.encode())
    assert response.status_code == 201, response.text[:300]
    title = client.get(f"/v1/articles/{response.json()['id']}").json()["title"]
    assert title is not None and headline.startswith(title)
    assert META_MAX_LENGTH["title"] - len("again ") <= len(title) <= META_MAX_LENGTH["title"]


def test_meta_publishes_the_metadata_limits(client: TestClient) -> None:
    limits = client.get("/v1/meta").json()["limits"]
    assert {field: limits[f"{field}_chars"] for field in META_MAX_LENGTH} == META_MAX_LENGTH


def test_post_schema_documents_the_limits(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/v1/articles"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert "http" in schema["properties"]["url"]["description"]
    for field, limit in META_MAX_LENGTH.items():
        assert schema["properties"][field]["anyOf"][0]["maxLength"] == limit, field


# --- the CLI: sidecar NAME.meta.json and --url ------------------------------------------

@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FRONTWIRE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _stored_urls(url: str) -> list[str | None]:
    with Session(get_engine(url)) as session:
        return [a.url for a in session.exec(select(Article))]


SIDECARS = [  # (id, sidecar JSON, the reason starts with)
    ("javascript-url", '{"url": "javascript:alert(1)"}', "url: "),
    ("data-url", '{"url": "data:text/html,<b>x</b>"}', "url: "),
    ("long-title", '{"title": "' + "T" * 1001 + '"}', "title: "),
    ("long-author", '{"author": "' + "A" * 301 + '"}', "author: "),
    ("title-not-text", '{"title": 12}', "title: "),
    ("not-an-object", '["https://example.org"]', "must be a JSON object"),
    ("not-json", '{"url": ', "not valid JSON"),
]


@pytest.mark.parametrize(("sidecar", "reason"), [c[1:] for c in SIDECARS],
                         ids=[c[0] for c in SIDECARS])
def test_cli_refuses_a_hostile_sidecar_with_a_reason(tmp_path: Path, cli_env: str,
                                                     sidecar: str, reason: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(sidecar, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1, output
    assert f"failed {tmp_path / 'a.txt'}: a.meta.json: {reason}" in output
    assert "internal error" not in output and "Traceback" not in output
    assert _stored_urls(cli_env) == []


def test_cli_refuses_a_hostile_url_flag(tmp_path: Path, cli_env: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"),
                                      "--url", "javascript:alert(1)"])
    assert result.exit_code == 1
    assert "option --url: " in " ".join(result.output.split())
    assert _stored_urls(cli_env) == []


def test_cli_keeps_a_good_sidecar_url(tmp_path: Path, cli_env: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"url": "https://example.org/a"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _stored_urls(cli_env) == ["https://example.org/a"]

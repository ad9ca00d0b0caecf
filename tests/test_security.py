"""Security: hashed write keys, security headers, CSP on the docs, rate limiting, no traces."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api.dashboard import PAGES_DIR as DASHBOARD_PAGES
from app.cli import app as cli
from app.config import Settings, hash_key
from app.main import create_app


def _client(url: str, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(database_url=url, warm_up=False, **settings)))


@pytest.mark.parametrize(("sent", "status"), [("s3cret", 404), ("wrong", 401), (None, 401)])
def test_hashed_keys_guard_writes(database_url: str, sent: str | None, status: int) -> None:
    digest = CliRunner().invoke(cli, ["hash-key", "s3cret"]).output.strip()
    assert digest == f"sha256:{hash_key('s3cret')}"
    with _client(database_url, api_key_hashes=[digest]) as client:
        headers = {"X-API-Key": sent} if sent is not None else {}
        assert client.delete("/v1/articles/999", headers=headers).status_code == status


def test_no_key_configured_answers_403_with_guidance(database_url: str) -> None:
    with _client(database_url) as client:
        response = client.delete("/v1/articles/1", headers={"X-API-Key": "anything"})
    assert response.status_code == 403
    assert "FRONTWIRE_API_KEY" in response.json()["detail"]


def test_security_headers_and_docs_policy(database_url: str) -> None:
    with _client(database_url) as client:
        api = client.get("/v1/events")
        docs = client.get("/docs")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in api.headers["Content-Security-Policy"]
    policy = docs.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "https:" not in policy


def test_rate_limit_answers_429_with_retry_after(database_url: str) -> None:
    with _client(database_url, rate_limit_per_minute=3) as client:
        answers = [client.get("/health") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert "per minute" in answers[-1].json()["detail"]


def test_rate_limit_is_off_by_default(database_url: str) -> None:
    with _client(database_url) as client:
        assert all(client.get("/health").status_code == 200 for _ in range(50))


def test_server_errors_carry_no_trace_or_sql(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, warm_up=False))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM article")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error; the server log has the details."}
    assert "SELECT" not in response.text and "Traceback" not in response.text


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/article/1",
                                  "/static/dashboard/index.html", "/static/dashboard/article.html",
                                  "/static/dashboard/article.js"])
def test_dashboard_scripts_come_only_from_its_own_files(database_url: str, path: str) -> None:
    """No 'unsafe-inline' (nor eval, nor other hosts) for the dashboard's scripts."""
    with _client(database_url) as client:
        response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "https:" not in response.headers["Content-Security-Policy"]


class _InlineScripts(HTMLParser):
    """Collects what a strict script-src would refuse: inline code and handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.found += [f"<{tag} {name}=...>" for name in names if name.startswith("on")]
        self.found += [f"<{tag} {name}=javascript:>" for name, value in attrs
                       if (value or "").strip().lower().startswith("javascript:")]
        self._in_script = tag == "script"
        if self._in_script and not names.get("src"):
            self.found.append("<script> without src")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:40]}")


@pytest.mark.parametrize("page", sorted(p.name for p in DASHBOARD_PAGES.glob("*.html")))
def test_dashboard_pages_have_no_inline_script(page: str) -> None:
    parser = _InlineScripts()
    parser.feed((DASHBOARD_PAGES / page).read_text(encoding="utf-8"))
    assert parser.found == []

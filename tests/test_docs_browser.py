"""``/docs`` and ``/redoc`` render in a real headless Chromium with no network beyond the server.

The docs pages are JavaScript apps: a TestClient can only prove the HTML is served, not that the
bundles load offline, parse our schema and list every operation. So the pages are opened in
Debian's Chromium (driven by PyPI's playwright), every request is routed, anything not addressed
to the loopback server is aborted and recorded, and console/page errors are collected.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live_server import live_url  # noqa: F401  (fixture used by the tests below)

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
RENDER_TIMEOUT_MS = 20_000
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _chromium_path() -> str | None:
    """Debian's chromium, wherever PATH has it; None when the package is not installed."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per module; missing browser fails in CI, skips (visibly) elsewhere."""
    path = _chromium_path()
    if path is None:
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("FRONTWIRE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FRONTWIRE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _is_local(url: str) -> bool:
    """True for the loopback server and for data:/blob: URLs the page made itself."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "blob":  # blob:http://127.0.0.1:PORT/uuid -- judge the origin inside
        return _is_local(url[len("blob:"):])
    return parts.scheme in {"http", "https", "ws"} and parts.hostname in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page did that it should not have: outside requests, console errors, exceptions."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.blocked, f"requests left the loopback server: {self.blocked}"
        assert not self.page_errors, f"uncaught page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def page_and_log(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    """A fresh context whose every request is routed: outside ones are aborted and recorded."""
    log = PageLog()
    context = browser.new_context(service_workers="block")

    def route(route: Any) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.on("console", lambda msg: log.console_errors.append(
        f"{msg.text} @ {msg.location.get('url', '')}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    yield page, log
    context.close()


@pytest.fixture(scope="module")
def schema(live_url: str) -> dict[str, Any]:  # noqa: F811
    """The schema the docs pages render, fetched over HTTP like the pages fetch it."""
    response = httpx.get(f"{live_url}/openapi.json", timeout=10)
    response.raise_for_status()
    return response.json()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation in the schema."""
    return [(method.upper(), path, operation)
            for path, item in schema["paths"].items()
            for method, operation in item.items() if method in HTTP_METHODS]


def test_schema_has_operations(schema: dict[str, Any]) -> None:
    """Guard for the tests below: an empty schema would make 'every operation listed' vacuous."""
    assert len(_operations(schema)) >= 5


def test_swagger_ui_lists_every_operation_offline(
        page_and_log: tuple[Any, PageLog], live_url: str,  # noqa: F811
        schema: dict[str, Any]) -> None:
    page, log = page_and_log
    expected = {(method, path) for method, path, _ in _operations(schema)}
    page.goto(f"{live_url}/docs", wait_until="load")
    blocks = page.locator(".swagger-ui .opblock")
    playwright_api.expect(blocks).to_have_count(len(expected), timeout=RENDER_TIMEOUT_MS)
    rendered = set(zip(
        (m.strip().upper() for m in blocks.locator(".opblock-summary-method").all_inner_texts()),
        (p for p in blocks.locator(".opblock-summary-path").evaluate_all(
            "els => els.map(e => e.getAttribute('data-path'))")),
        strict=True))
    assert rendered == expected, (f"missing: {sorted(expected - rendered)}; "
                                  f"unexpected: {sorted(rendered - expected)}")
    assert {path for _, path in rendered} == set(schema["paths"])
    playwright_api.expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        schema["info"]["title"])
    log.assert_clean()


def test_redoc_lists_every_operation_offline(
        page_and_log: tuple[Any, PageLog], live_url: str,  # noqa: F811
        schema: dict[str, Any]) -> None:
    page, log = page_and_log
    operations = _operations(schema)
    page.goto(f"{live_url}/redoc", wait_until="load")
    sections = page.locator("[data-section-id^='operation/']")
    playwright_api.expect(sections).to_have_count(len(operations), timeout=RENDER_TIMEOUT_MS)
    headings = {text.strip() for text in sections.locator("h2").all_inner_texts()}
    menu = " | ".join(page.locator("li[data-item-id] label").all_inner_texts())
    missing = [f"{method} {path}: {op.get('summary')!r}" for method, path, op in operations
               if op.get("summary") not in headings or op.get("summary") not in menu]
    assert not missing, f"operations whose summary ReDoc does not show: {missing}"
    log.assert_clean()

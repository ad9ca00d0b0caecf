"""``/docs`` and ``/redoc`` render in a real headless Chromium with no network beyond the server.

The docs pages are JavaScript apps: a TestClient can only prove the HTML is served, not that the
bundles load offline, parse our schema and list every operation. So the pages are opened in
Debian's Chromium (driven by PyPI's playwright), every request is routed, anything not addressed
to the loopback server is aborted and recorded, and console/page errors are collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser import PageLog, browser, watched_page  # noqa: F401  (browser: fixture)
from tests.live_server import live_url  # noqa: F401  (fixture used by the tests below)

playwright_api = pytest.importorskip("playwright.sync_api")

RENDER_TIMEOUT_MS = 20_000
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def page_and_log(browser: Any) -> Iterator[tuple[Any, PageLog]]:  # noqa: F811
    with watched_page(browser, RENDER_TIMEOUT_MS) as watched:
        yield watched


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

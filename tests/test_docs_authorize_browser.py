"""Swagger's Authorize button works with the X-API-Key security scheme, in a real Chromium.

The OpenAPI document marks writes as needing the ``ApiKey`` scheme; Swagger UI then shows an
Authorize button and sends the key it is given on every secured call. The test enters the
key, tries ``DELETE /v1/articles/{article_id}`` on an id that does not exist and reads the
answer: 404 means the key reached the server (without it the server answers 401).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import PageLog, browser, watched_page  # noqa: F401  (browser: fixture)
from tests.conftest import API_KEY
from tests.live_server import live_url  # noqa: F401  (fixture used by the tests below)

playwright_api = pytest.importorskip("playwright.sync_api")
TIMEOUT_MS = 20_000
MISSING_ID = "2147483000"


@pytest.fixture
def page_and_log(browser: Any) -> Iterator[tuple[Any, PageLog]]:  # noqa: F811
    with watched_page(browser, TIMEOUT_MS) as watched:
        yield watched


def _open_delete(page: Any) -> Any:
    """Expand DELETE /v1/articles/{article_id} and fill in a missing id; return the panel."""
    operation = page.locator("#operations-articles-delete_article")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("input[placeholder='article_id']").fill(MISSING_ID)
    return operation


def _execute(page: Any, operation: Any) -> str:
    """Run the call and return the status Swagger shows for the live response."""
    with page.expect_response(lambda r: r.url.endswith(f"/v1/articles/{MISSING_ID}")) as answer:
        operation.locator(".execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status")
    playwright_api.expect(status).to_have_text(str(answer.value.status), timeout=TIMEOUT_MS)
    return status.inner_text().strip()


def test_swagger_authorize_sends_the_key(page_and_log: tuple[Any, PageLog],
                                         live_url: str) -> None:  # noqa: F811
    page, log = page_and_log
    page.goto(f"{live_url}/docs", wait_until="load")
    authorize = page.locator(".swagger-ui .auth-wrapper .authorize")
    playwright_api.expect(authorize).to_be_visible(timeout=TIMEOUT_MS)
    operation = _open_delete(page)
    assert _execute(page, operation) == "401"  # no key yet
    authorize.click()
    dialog = page.locator(".swagger-ui .dialog-ux")
    playwright_api.expect(dialog).to_contain_text("X-API-Key", timeout=TIMEOUT_MS)
    dialog.locator("input").first.fill(API_KEY)
    dialog.locator("button.authorize").click()
    dialog.locator("button.btn-done").click()
    assert _execute(page, operation) == "404"  # the key reached the server
    assert not log.blocked and not log.page_errors
    expected = [e for e in log.console_errors if "status of 401" in e or "status of 404" in e]
    assert log.console_errors == expected, log.console_errors

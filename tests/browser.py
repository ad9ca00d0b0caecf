"""A real browser for the page tests: Debian's Chromium driven by PyPI's playwright.

Shared by the docs and dashboard tests. Every request a page makes is routed: anything not
addressed to the loopback server is aborted and recorded, and console and page errors are
collected, so a test can assert the page worked offline and cleanly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def chromium_path() -> str | None:
    """Debian's chromium, wherever PATH has it; None when the package is not installed."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per module; missing browser fails in CI, skips (visibly) elsewhere."""
    path = chromium_path()
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


def is_local(url: str) -> bool:
    """True for the loopback server and for data:/blob:/about: URLs the page made itself."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "about"}:
        return True
    if parts.scheme == "blob":  # blob:http://127.0.0.1:PORT/uuid -- judge the origin inside
        return is_local(url[len("blob:"):])
    return parts.scheme in {"http", "https", "ws"} and parts.hostname in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page did that it should not have: outside requests, console errors, exceptions."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.requests, "the route saw no request at all (routing not active?)"
        assert not self.blocked, f"requests left the loopback server: {self.blocked}"
        assert not self.page_errors, f"uncaught page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@contextmanager
def watched_page(browser: Any, timeout_ms: int, **context_options: Any) -> Iterator[
        tuple[Any, PageLog]]:
    """A fresh context and page whose every request is routed and whose errors are logged."""
    log = PageLog()
    context = browser.new_context(service_workers="block", **context_options)

    def route(route: Any) -> None:
        url = route.request.url
        log.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("console", lambda msg: log.console_errors.append(
        f"{msg.text} @ {msg.location.get('url', '')}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    try:
        yield page, log
    finally:
        context.close()

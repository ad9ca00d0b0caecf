"""Rate limiting: X-Forwarded-For names the client only when it comes from a configured proxy,
and the per-client table stays bounded however many addresses a flood uses.

The forwarding test runs the real ``frontwire serve`` (uvicorn in its own process), because
the trust decision is uvicorn's and only that command passes the setting to it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.api.security import RateLimitMiddleware
from tests.conftest import ROOT, make_database
from tests.live_server import free_port

START_TIMEOUT_S = 30.0


@contextmanager
def _frontwire_serve(database_url: str, **env: str) -> Iterator[str]:
    """``frontwire serve`` on a free port with ``env`` settings; stopped afterwards."""
    port = free_port()
    environment = {**os.environ, "FRONTWIRE_DATABASE_URL": database_url,
                   "FRONTWIRE_WARM_UP": "false", **env}
    environment.pop("FORWARDED_ALLOW_IPS", None)  # uvicorn's own variable must not decide
    log = Path(database_url.removeprefix("sqlite:///")).with_suffix(".log")
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port",
                                    str(port)], cwd=ROOT, env=environment, stdout=output,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(20)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll until the port answers; the probe itself spends one token of 127.0.0.1's bucket."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"frontwire serve exited: {log.read_text()}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)  # polling for the port to open, not a fixed wait
    raise TimeoutError("frontwire serve did not start")


def _statuses(url: str, forwarded: list[str]) -> list[int]:
    with httpx.Client(base_url=url, timeout=10) as client:
        return [client.get("/health", headers={"X-Forwarded-For": address}).status_code
                for address in forwarded]


SPOOFED = [f"203.0.113.{n}" for n in range(1, 6)]


def test_forwarded_for_is_not_trusted_by_default(tmp_path: Path) -> None:
    """A client inventing a new X-Forwarded-For per request still meets the limit: the
    start-up probe and four requests spend 127.0.0.1's five tokens, the fifth is refused."""
    with _frontwire_serve(make_database(tmp_path), FRONTWIRE_RATE_LIMIT_PER_MINUTE="5") as url:
        assert _statuses(url, SPOOFED) == [200, 200, 200, 200, 429]


def test_forwarded_for_is_trusted_from_a_configured_proxy(tmp_path: Path) -> None:
    """Behind a proxy at 127.0.0.1 each forwarded client has a bucket of its own."""
    with _frontwire_serve(make_database(tmp_path), FRONTWIRE_RATE_LIMIT_PER_MINUTE="5",
                          FRONTWIRE_FORWARDED_ALLOW_IPS="127.0.0.1") as url:
        assert _statuses(url, SPOOFED) == [200] * 5
        assert _statuses(url, ["198.51.100.7"] * 6) == [200] * 5 + [429]


async def _answer(scope: dict, receive: object, send: object) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]


def _call(limiter: RateLimitMiddleware, client: str) -> int:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/health", "headers": [],
             "client": (client, 1234)}
    asyncio.run(limiter(scope, receive, send))  # type: ignore[arg-type]
    return sent[0]["status"]


def test_the_client_table_is_bounded() -> None:
    limiter = RateLimitMiddleware(_answer, per_minute=2, max_clients=100)  # type: ignore[arg-type]
    assert [_call(limiter, "192.0.2.1") for _ in range(3)] == [200, 200, 429]
    for n in range(1000):
        _call(limiter, f"10.0.{n // 256}.{n % 256}")
        assert len(limiter.buckets) <= 100
    assert "192.0.2.1" not in limiter.buckets  # the oldest went first


def test_a_client_that_keeps_asking_keeps_its_bucket() -> None:
    """Eviction drops the least recently seen: a flood does not reset an active client."""
    limiter = RateLimitMiddleware(_answer, per_minute=2, max_clients=10)  # type: ignore[arg-type]
    statuses = []
    for n in range(50):
        statuses.append(_call(limiter, "192.0.2.1"))
        _call(limiter, f"10.0.0.{n}")
    assert statuses[:2] == [200, 200] and set(statuses[2:]) == {429}


@pytest.mark.parametrize("name", ["FRONTWIRE_FORWARDED_ALLOW_IPS",
                                  "FRONTWIRE_RATE_LIMIT_PER_MINUTE"])
def test_settings_are_documented(name: str) -> None:
    assert name in (ROOT / ".env.example").read_text()
    assert name in (ROOT / "README.md").read_text()

"""Serve an app over real HTTP on a free loopback port, for tests that need a real client.

A browser (Playwright) or an out-of-process HTTP client cannot talk to an ASGI app in memory the
way ``TestClient`` does, so these tests need a real socket. uvicorn runs in a background thread
of the test process: the app shares the test's database URL and no subprocess has to be reaped.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free now; uvicorn binds it a moment later (race accepted in tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class _ThreadServer(uvicorn.Server):
    """uvicorn.Server that leaves signal handlers alone: only the main thread may install them."""

    def install_signal_handlers(self) -> None:  # pragma: no cover - trivial override
        return None


def _wait_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    """Block until uvicorn reports it is serving; fail fast if the thread died (port taken...)."""
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before it started serving")
        if time.monotonic() > deadline:
            raise TimeoutError(f"uvicorn did not start within {timeout} s")
        time.sleep(0.02)  # polling a flag, not a fixed wait for the server


@contextmanager
def serve(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``app`` on a free port of ``host``; yield its base URL; stop it on exit."""
    port = free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            access_log=False, ws="none")
    server = _ThreadServer(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        _wait_started(server, thread, START_TIMEOUT_S)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)


def seeded_app(database_url: str) -> FastAPI:
    """The app the HTTP tests use: writes enabled with the test key, no pipeline warm-up."""
    return create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))


@pytest.fixture(scope="module")
def live_url(seeded_url: str) -> Iterator[str]:
    """Base URL (no trailing slash) of the app over the module's seeded database."""
    with serve(seeded_app(seeded_url)) as url:
        yield url

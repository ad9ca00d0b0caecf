"""Failures a client or an operator can cause answer clearly, and the server keeps serving.

Each is made for real: a PostgreSQL cluster of the test's own is stopped with ``pg_ctl``
while clients keep asking; the disk under a SQLite file (or under a PostgreSQL tablespace)
is a tmpfs of a few MB filled to the last byte; a 500 is raised by the real route (its query
function replaced) and read over a real keep-alive HTTP connection to uvicorn.

Why a full tmpfs rather than ``PRAGMA max_page_count``: the pragma only caps the main file's
pages, while a full disk also fails the WAL and its index, which is where a WAL-mode SQLite
writes first; the tmpfs gives the operating system's own ENOSPC on every file.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app import queries
from app.config import Settings
from app.db import get_engine
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import API_KEY, PostgresServer, dispose
from tests.live_server import seeded_app, serve
from tests.pg_cluster import own_cluster, owned_directory

ARTICLE = ("GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday, residents said. "
           "At least 100 people have been killed, hospitals said.\n")
WRITE = {"X-API-Key": API_KEY}


# --- a 500 leaves the connection usable ------------------------------------------------------

def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def test_a_500_keeps_the_keep_alive_connection(seeded_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The client gets the JSON 500 and its next request on the same socket is answered."""
    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM event")

    monkeypatch.setattr(queries, "list_events", fail)
    with serve(seeded_app(seeded_url)) as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        status, body = _get(connection, "/v1/events")
        socket_before = connection.sock
        assert status == 500
        assert json.loads(body) == {"detail": "Internal server error; the server log has the "
                                              "details."}
        status, body = _get(connection, "/v1/articles")
        assert connection.sock is socket_before, "http.client opened a second connection"
        assert status == 200 and json.loads(body)["items"]
        connection.close()


# --- PostgreSQL stopped under load -----------------------------------------------------------

@contextmanager
def _hammering(url: str, paths: list[str]) -> Iterator[list[tuple[int, str | None]]]:
    """Threads asking ``paths`` in a loop; yields the (status, Retry-After) seen so far, with
    status 0 for a connection the server broke (a client then reconnects)."""
    seen: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def ask(path: str) -> None:
        while not stop.is_set():
            with httpx.Client(base_url=url, timeout=30) as client:
                try:
                    while not stop.is_set():
                        response = client.get(path)
                        seen.append((response.status_code, response.headers.get("Retry-After")))
                except httpx.TransportError:
                    seen.append((0, None))

    threads = [threading.Thread(target=ask, args=(path,), daemon=True) for path in paths]
    for thread in threads:
        thread.start()
    try:
        yield seen
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


@pytest.mark.postgresql
def test_stopped_postgresql_answers_503_until_it_is_back() -> None:
    """While the server is down every answer is 503 with Retry-After (the ETag middleware's
    query fails first), /health too; once it is started again, 200 without a restart."""
    load = ["/v1/events", "/v1/figures?count=true", "/v1/stats/country", "/v1/meta"]
    with own_cluster() as cluster:
        upgrade(cluster.url)
        app = create_app(Settings(database_url=cluster.url, api_key=API_KEY, warm_up=False))
        with serve(app) as url, _hammering(url, load) as seen:
            _wait_for(lambda: len(seen) > 20)
            cluster.stop()
            down_from = len(seen)
            _wait_for(lambda: sum(1 for status, _ in seen[down_from:] if status != 200) > 20)
            health = httpx.get(f"{url}/health", timeout=30)
            post = httpx.post(f"{url}/v1/articles", json={"text": ARTICLE}, headers=WRITE,
                              timeout=30)
            cluster.start()
            _wait_for(lambda: httpx.get(f"{url}/v1/events", timeout=30).status_code == 200)
            back_from = len(seen)
            _wait_for(lambda: len(seen) > back_from + 20)
            answers = list(seen)
        dispose(cluster.url, app.state.engine)
    assert {status for status, _ in answers} <= {200, 503}, answers
    assert health.status_code == 503 and health.json()["database"] == "unreachable"
    assert post.status_code == 503 and post.headers["Retry-After"] == "5"
    assert "unreachable" in post.json()["detail"]
    assert all(retry == "5" for status, retry in answers if status == 503)
    assert all(status == 200 for status, _ in answers[back_from + 5:])


# --- disk full -------------------------------------------------------------------------------

@contextmanager
def _tiny_disk(size_mb: int, owner: str | None = None) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` MB (root only: mounting needs CAP_SYS_ADMIN)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (CI runs as root)")
    with owned_directory("frontwire-disk-") as directory:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755", "tmpfs",
                        str(directory)], check=True, capture_output=True)
        try:
            if owner:
                os.chown(directory, *_ids(owner))
            yield directory
        finally:
            subprocess.run(["umount", "-l", str(directory)], check=True, capture_output=True)


def _ids(user: str) -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid


def _fill(directory: Path) -> Path:
    """Write a file until the file system refuses (ENOSPC); the disk is then full."""
    filler = directory / "filler"
    chunk = b"\0" * (64 * 1024)
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    with filler.open("ab", buffering=0) as handle:  # the last partial block too
        try:
            while True:
                handle.write(b"\0")
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def _check_full_disk_answers(client: TestClient, disk: Path) -> None:
    """POST answers 507 with the reason, reads go on, /health says writes fail; once space
    is freed the same POST stores the article and /health is ok again."""
    assert client.get("/health").status_code == 200
    filler = _fill(disk)
    refused = client.post("/v1/articles", json={"text": ARTICLE}, headers=WRITE)
    assert refused.status_code == 507, refused.text
    assert "storage is full" in refused.json()["detail"]
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["writes"] == "failing"
    assert "full" in health.json()["reason"]
    assert client.get("/v1/articles").json()["items"] == []
    filler.unlink()
    stored = client.post("/v1/articles", json={"text": ARTICLE}, headers=WRITE)
    assert stored.status_code == 201, stored.text
    assert client.get("/health").json() == {"status": "ok", "database": "ok", "writes": "ok",
                                            "reason": None}


def test_full_disk_under_sqlite_answers_507() -> None:
    with _tiny_disk(8) as disk:
        url = f"sqlite:///{disk / 'frontwire.db'}"
        upgrade(url)
        with Session(get_engine(url)) as session:  # an empty WAL: the next write must grow it
            session.exec(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # type: ignore[call-overload]
        dispose(url)
        app = create_app(Settings(database_url=url, api_key=API_KEY, warm_up=False))
        with TestClient(app) as client:
            _check_full_disk_answers(client, disk)
        dispose(url, app.state.engine)


@pytest.mark.postgresql
def test_full_tablespace_under_postgresql_answers_507(postgres_server: PostgresServer) -> None:
    """The database lives in a tablespace on the tiny disk; the WAL stays on the cluster's
    own disk (PostgreSQL stops altogether when its WAL cannot be written)."""
    name = f"fw_tiny_{uuid.uuid4().hex[:8]}"
    with _tiny_disk(64, owner="postgres") as disk:
        (disk / "ts").mkdir()
        os.chown(disk / "ts", *_ids("postgres"))
        with postgres_server.admin.connect() as conn:
            conn.execute(text(f"CREATE TABLESPACE {name} LOCATION '{disk / 'ts'}'"))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_server.template}" '
                              f"TABLESPACE {name}"))
        url = postgres_server.url(name)
        app = create_app(Settings(database_url=url, api_key=API_KEY, warm_up=False))
        try:
            with TestClient(app) as client:
                _check_full_disk_answers(client, disk)
        finally:
            postgres_server.drop(url, app.state.engine)
            with postgres_server.admin.connect() as conn:
                conn.execute(text(f"DROP TABLESPACE IF EXISTS {name}"))

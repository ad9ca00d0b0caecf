"""HTTP load: many concurrent readers on a real uvicorn while a writer posts articles.

Usage: python bench/load.py [--duration 30] [--clients 64] [--quick] [--database-url URL]

Without ``--database-url`` a temporary SQLite database is migrated and filled with the seeds and
dev articles; with it (e.g. a PostgreSQL URL) the same articles are ingested there first
(duplicates are skipped). Then ``uvicorn app.main:app --workers 2`` serves it on loopback,
readers hit a mix of list/detail/stats/export paths and one writer posts fresh articles for the
whole run. Readers are driven by ``wrk`` + a Lua script when installed (it costs far less CPU
than Python on a small machine), else by an httpx/asyncio client; the output says which.
Prints req/s, p50, p99 and error counts; exits 1 on any 5xx or connection error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load_drivers import Result, run_python, run_wrk  # noqa: E402 (needs the sys.path insert)

API_KEY = "bench-key"
READ_PATHS = ["/v1/events?limit=50", "/v1/events?country=RU", "/v1/figures?counts=killed",
              "/v1/stats/timeline?interval=month", "/v1/stats/country",
              "/v1/events?format=csv&limit=500"]
DETAIL_SHARE = 3  # detail paths per list path in the mix (details are the commonest read)


def articles() -> list[str]:
    paths = (sorted(ROOT.glob("seeds/*.txt"))
             + sorted(ROOT.glob("tests/fixtures/dev/articles/*.txt")))
    return [p.read_text(encoding="utf-8") for p in paths]


def prepare(database_url: str | None, workdir: Path) -> str:
    """Migrate the database and ingest the seeds and dev articles; returns its URL."""
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.service import ingest_text
    from app.migrate import upgrade

    url = database_url or f"sqlite:///{workdir / 'load.db'}"
    upgrade(url)
    with Session(get_engine(url)) as session:
        for text in articles():
            ingest_text(session, text)
    get_engine(url).dispose()
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """uvicorn with ``workers`` processes; returns once /health answers."""
    env = {**os.environ, "FRONTWIRE_DATABASE_URL": url, "FRONTWIRE_API_KEY": API_KEY}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"),
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("uvicorn did not become healthy within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn drains queued requests first), then SIGKILL after 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print("uvicorn still draining after 30 s: killed")
        server.kill()
        server.wait(timeout=30)


def probe(base: str) -> tuple[list[str], dict[str, int]]:
    """The full path mix (detail ids taken from the data) and each list path's status now."""
    statuses = {path: httpx.get(base + path, timeout=30).status_code for path in READ_PATHS}
    items = httpx.get(f"{base}/v1/events?limit=50", timeout=30).json().get("items", [])
    details = [f"/v1/events/{item['id']}" for item in items[:20]]
    mix = [p for path in READ_PATHS for p in [path] + details[:DETAIL_SHARE]]
    for index, path in enumerate(details):  # rotate so every id gets asked
        mix[(index * (DETAIL_SHARE + 1) + 1) % len(mix)] = path
    return mix, statuses


@dataclass
class Writer:
    """Posts variants of the articles until stopped; counts statuses."""

    base: str
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        texts = articles()
        with httpx.Client(base_url=self.base, timeout=120,
                          headers={"X-API-Key": API_KEY}) as client:
            for n in range(10_000):
                if self.stop.is_set():
                    return
                body = f"{texts[n % len(texts)].rstrip()}\n\nLoad test edition {n} {time.time()}.\n"
                started = time.perf_counter()
                try:
                    status = client.post("/v1/articles", json={"text": body}).status_code
                except httpx.TransportError as error:
                    self.errors.append(repr(error))
                    continue
                self.latencies.append(time.perf_counter() - started)
                self.statuses[status] = self.statuses.get(status, 0) + 1


def report(result: Result, writer: Writer, statuses: dict[str, int]) -> int:
    """Print the figures; the exit status is 1 on any 5xx or connection error."""
    print(f"driver: {result.driver}")
    for path, status in statuses.items():
        print(f"  probe {status} {path}")
    print(f"requests: {result.requests} in {result.seconds:.1f} s = "
          f"{result.requests / max(result.seconds, 1e-9):.1f} req/s")
    print(f"latency: p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
    print(f"status: 2xx {result.ok}, 4xx {result.client_errors}, 5xx {result.server_errors}, "
          f"connection/timeout errors {result.connection_errors}")
    mean = sum(writer.latencies) / len(writer.latencies) if writer.latencies else 0.0
    print(f"writer: {sum(writer.statuses.values())} posts {dict(sorted(writer.statuses.items()))}"
          f", mean {mean:.2f} s, connection errors {len(writer.errors)}")
    writer_5xx = sum(n for status, n in writer.statuses.items() if status >= 500)
    failed = result.server_errors + result.connection_errors + writer_5xx + len(writer.errors)
    print("RESULT: FAIL" if failed else "RESULT: OK")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=64, help="concurrent reading clients")
    parser.add_argument("--quick", action="store_true", help="5 s with 16 clients")
    parser.add_argument("--database-url", help="serve this database instead of a temp SQLite")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.clients = 5.0, 16
    use_wrk = args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk"))
    with tempfile.TemporaryDirectory(prefix="frontwire-load-") as tmp:
        workdir = Path(tmp)
        url = prepare(args.database_url, workdir)
        port = free_port()
        server = start_server(url, port, args.workers, workdir / "uvicorn.log")
        try:
            return run_load(f"http://127.0.0.1:{port}", args, bool(use_wrk), workdir)
        finally:
            stop_server(server)


def run_load(base: str, args: argparse.Namespace, use_wrk: bool, workdir: Path) -> int:
    mix, statuses = probe(base)
    warm = httpx.post(f"{base}/v1/articles", headers={"X-API-Key": API_KEY}, timeout=300,
                      json={"text": f"{articles()[0].rstrip()}\n\nWarm-up {time.time()}.\n"})
    print(f"warm-up post (untimed): {warm.status_code}")
    writer = Writer(base)
    thread = threading.Thread(target=writer.run, name="writer", daemon=True)
    thread.start()
    if use_wrk:
        result = run_wrk(base, mix, args.clients, args.duration, workdir)
    else:
        result = run_python(base, mix, args.clients, args.duration)
    writer.stop.set()
    thread.join(timeout=180)
    return report(result, writer, statuses)


if __name__ == "__main__":
    raise SystemExit(main())

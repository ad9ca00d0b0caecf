"""Query cost at scale: frontwire over HTTP next to the raw SQL (floor) and Datasette.

Usage: python bench/run.py [--sizes 100000 1000000] [--duration 5] [--quick]
       python bench/run.py --quick --events 500 --duration 0.2 --out /tmp/r.json  (smoke)

For each database size a synthetic database is built (bench/synth.py, cached under
bench/data/), then for every query: (a) the floor, the statement that selects the rows run
back to back through sqlite3 in this process; (b) frontwire, one uvicorn process; (c)
Datasette, one process, on its fast path (no counts, facets or suggestions), serving the same
file read-only. Both servers run on loopback and are driven in turn by ``wrk`` (or a
threaded Python client when wrk is absent) at 8 and 32 connections. Results merge into
``bench/results.json`` (one entry per size, so sizes can be run separately) and the table
in ``bench/RESULTS.md`` is rendered from it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import synth  # noqa: E402 (needs the sys.path insert above)

DATA = ROOT / "bench" / "data"
FAST = "_shape=objects&_size=50&_nocount=1&_nofacet=1&_nosuggest=1"
BBOX = (37.0, 47.5, 39.0, 49.0)  # Donbas: min_lon, min_lat, max_lon, max_lat
PLACE_IN_BOX = (f"place_id IN (SELECT id FROM place WHERE lat >= {BBOX[1]} AND lat <= {BBOX[3]}"
                f" AND lon >= {BBOX[0]} AND lon <= {BBOX[2]})")
# 1 = Russia, in a quarter of all events: frontwire tests such a common actor per event
# (EXISTS) rather than building the list of its events (app/queries/filters.py); the floor and
# Datasette get that same SQL, so the comparison is of the serving layers alone.
ACTOR = ("EXISTS (SELECT 1 FROM event_actor WHERE event_actor.event_id = event.id "
         "AND event_actor.actor_id = 1)")
MIN_VALUE = "coalesce(value, high, low) >= 100"
TIMELINE = ("SELECT substr(date_start, 1, 7) AS month, count(*) AS events FROM event "
            "WHERE date_start IS NOT NULL GROUP BY 1 ORDER BY 1")
BY_PLACE = ("SELECT place.name AS key, count(*) AS events FROM event JOIN place "
            "ON place.id = event.place_id GROUP BY place.name ORDER BY 2 DESC LIMIT 50")


@dataclass(frozen=True)
class Query:
    name: str
    frontwire: str
    datasette: str | None     # None: Datasette cannot express it
    floor: str                # the SQL that selects the answer's rows
    list_query: bool = False  # a list page of 50 (the p95 < 50 ms target)
    export: bool = False      # seconds per request: longer runs, fewer clients (see measure)


def queries(events: int, export_rows: int = 10_000) -> list[Query]:
    middle = max(1, events // 2)
    where = quote
    return [
        Query("country + date range", "/v1/events?country=UA&date_from=2023-01-01"
              "&date_to=2023-03-31", f"/synth/event.json?country=UA&date_end__gte=2023-01-01"
              f"&date_start__lte=2023-03-31&{FAST}", "SELECT * FROM event WHERE country = 'UA' "
              "AND date_end >= '2023-01-01' AND date_start <= '2023-03-31' ORDER BY id LIMIT 51",
              True),
        Query("actor", "/v1/events?actor=Russia", f"/synth/event.json?_where={where(ACTOR)}&{FAST}",
              f"SELECT * FROM event WHERE {ACTOR} ORDER BY id LIMIT 51", True),
        Query("bbox", "/v1/events?bbox=" + ",".join(map(str, BBOX)),
              f"/synth/event.json?_where={where(PLACE_IN_BOX)}&{FAST}",
              f"SELECT * FROM event WHERE {PLACE_IN_BOX} ORDER BY id LIMIT 51", True),
        Query("full text q", "/v1/events?q=shelled",
              f"/synth/event.json?_search=shelled&_fts_table=event_fts&_fts_pk=id&{FAST}",
              "SELECT * FROM event WHERE id IN (SELECT rowid FROM event_fts WHERE event_fts "
              "MATCH '\"shelled\"') ORDER BY id LIMIT 51", True),
        Query("figures counts + min_value", "/v1/figures?counts=killed&min_value=100",
              f"/synth/figure.json?counts=killed&_where={where(MIN_VALUE)}&{FAST}",
              f"SELECT * FROM figure WHERE counts = 'killed' AND {MIN_VALUE} ORDER BY id LIMIT 51",
              True),
        Query("timeline by month", "/v1/stats/timeline?interval=month",
              f"/synth.json?sql={where(TIMELINE)}&_shape=objects", TIMELINE),
        Query("stats by place", "/v1/stats/place",
              f"/synth.json?sql={where(BY_PLACE)}&_shape=objects", BY_PLACE),
        Query("event detail", f"/v1/events/{middle}", f"/synth/event/{middle}.json?_shape=objects",
              f"SELECT * FROM event WHERE id = {middle}"),
        Query(f"CSV export {export_rows:,} rows", f"/v1/events?format=csv&limit={export_rows}",
              f"/synth/event.csv?_stream=1&_size=max&id__lte={export_rows}&_nofacet=1"
              f"&_nocount=1", f"SELECT * FROM event ORDER BY id LIMIT {export_rows}",
              export=True),
    ]


def floor(db: Path, sql: str, duration: float) -> dict[str, Any]:
    """The statement alone, back to back on one connection: what no server can beat."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.execute("PRAGMA cache_size=-64000")
    latencies: list[float] = []
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline or len(latencies) < 3:
        started = time.perf_counter()
        connection.execute(sql).fetchall()
        latencies.append(time.perf_counter() - started)
    connection.close()
    return summary(latencies, sum(latencies))


def summary(latencies: list[float], elapsed: float, errors: int = 0) -> dict[str, Any]:
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50_ms": round(at(0.50), 3), "p95_ms": round(at(0.95), 3),
            "rps": round(len(ordered) / elapsed, 1) if elapsed else 0.0,
            "requests": len(ordered), "errors": errors}


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load(url: str, clients: int, duration: float, workdir: Path) -> dict[str, Any]:
    """Drive ``url`` with ``clients`` keep-alive connections for ``duration`` seconds."""
    if shutil.which("wrk"):
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)
        seconds = max(1, round(duration))
        out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s",
                              "-s", str(script), url], capture_output=True, text=True,
                             check=True).stdout
        fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()
        requests, micros, p50, p95, errors = map(int, fields[1:])
        return {"p50_ms": round(p50 / 1000, 3), "p95_ms": round(p95 / 1000, 3),
                "rps": round(requests / (micros / 1e6), 1), "requests": requests,
                "errors": errors}
    return python_load(url, clients, duration)


def python_load(url: str, clients: int, duration: float) -> dict[str, Any]:
    """Fallback: one thread per connection with http.client (costs the server CPU)."""
    host, _, rest = url.removeprefix("http://").partition("/")
    hostname, port = host.split(":")
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + duration

    def client() -> None:
        connection = http.client.HTTPConnection(hostname, int(port), timeout=30)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.request("GET", "/" + rest)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            errors[0] += response.status >= 400
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - started, errors[0])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(command: list[str], port: int, probe: str, env: dict[str, str] | None = None):
    """A server process on loopback, up once ``probe`` answers, stopped afterwards."""
    process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port, probe, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(port: int, probe: str, process: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if fetch(f"http://127.0.0.1:{port}{probe}")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer {probe}")


def fetch(url: str) -> tuple[int, int]:
    """(status, body bytes) of one GET."""
    host, _, rest = url.removeprefix("http://").partition("/")
    hostname, port = host.split(":")
    connection = http.client.HTTPConnection(hostname, int(port), timeout=120)
    connection.request("GET", "/" + rest)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, len(body)


def frontwire_server(db: Path):
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
    return server(command, port, "/health", {"FRONTWIRE_DATABASE_URL": f"sqlite:///{db}",
                                             "FRONTWIRE_WARM_UP": "false"})


def datasette_server(db: Path, executable: str):
    port = free_port()
    link = db.parent / "synth.db"  # Datasette names the database after its file
    if link.resolve() != db.resolve():
        link.unlink(missing_ok=True)
        link.symlink_to(db.name)
    command = [executable, "serve", "-i", str(link), "--host", "127.0.0.1", "--port", str(port),
               "--setting", "sql_time_limit_ms", "60000", "--setting", "num_sql_threads", "3"]
    return server(command, port, "/synth.json?sql=select+1")


EXPORT_CLIENTS = [1, 4]  # an export takes seconds: 32 at once would only queue past timeouts


def measure(query: Query, db: Path, urls: dict[str, str], duration: float,
            clients: list[int], workdir: Path) -> dict[str, Any]:
    """Floor, then each server at each concurrency (interleaved, so drift hits both)."""
    if query.export:
        duration, clients = duration * 3, [c for c in EXPORT_CLIENTS if c <= max(clients)]
    result: dict[str, Any] = {"floor": floor(db, query.floor, duration),
                              "list_query": query.list_query, "clients": clients}
    paths = {"frontwire": query.frontwire, "datasette": query.datasette}
    for system, base in urls.items():
        path = paths[system]
        if path is None:
            continue
        status, size = fetch(base + path)
        result[system] = {"path": path, "status": status, "bytes": size}
        load(base + path, 2, min(1.0, duration), workdir)  # warm caches and connections
    for count in clients:
        for system, base in urls.items():
            if paths[system] is not None:
                result[system][str(count)] = load(base + paths[system], count, duration, workdir)
    return result


def run_size(events: int, duration: float, clients: list[int], datasette: str | None,
             out_dir: Path, export_rows: int = 10_000) -> dict[str, Any]:
    db = out_dir / f"synth-{events}.db"
    built = None
    if not db.exists():
        built = synth.build(db, events, quiet=True)
    from app.migrate import upgrade

    upgrade(f"sqlite:///{db}")  # a cached database gets any newer index migration
    results: dict[str, Any] = {"events": events, "synth": built, "queries": {}}
    with tempfile.TemporaryDirectory() as tmp, frontwire_server(db) as fw:
        urls = {"frontwire": fw}
        if datasette:
            with datasette_server(db, datasette) as ds:
                urls["datasette"] = ds
                measure_all(results, queries(events, export_rows), db, urls, duration,
                            clients, Path(tmp))
        else:
            measure_all(results, queries(events, export_rows), db, urls, duration, clients,
                        Path(tmp))
    return results


def measure_all(results: dict[str, Any], chosen: list[Query], db: Path, urls: dict[str, str],
                duration: float, clients: list[int], workdir: Path) -> None:
    for query in chosen:
        print(f"  {results['events']:,} events: {query.name}", file=sys.stderr)
        results["queries"][query.name] = measure(query, db, urls, duration, clients, workdir)


def find_datasette(given: str | None) -> str | None:
    candidates = [given, str(DATA / "venv" / "bin" / "datasette"), shutil.which("datasette")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--events", type=int, help="one size (overrides --sizes)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--quick", action="store_true", help="10k events, 1 s per measurement")
    parser.add_argument("--datasette", help="datasette executable (default: bench venv, PATH)")
    parser.add_argument("--no-datasette", action="store_true", help="frontwire and floor only")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="table to write (default: RESULTS.md beside --out)")
    args = parser.parse_args()
    sizes = [args.events] if args.events else [10_000] if args.quick else args.sizes
    duration = min(args.duration, 1.0) if args.quick else args.duration
    export_rows = 1_000 if args.quick else 10_000
    datasette = None if args.no_datasette else find_datasette(args.datasette)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    results = {**previous, "machine": machine(datasette), "sizes": previous.get("sizes", {})}
    for events in sizes:
        results["sizes"][str(events)] = run_size(events, duration, args.clients, datasette,
                                                 args.data_dir, export_rows)
        results["sizes"][str(events)]["duration_s"] = duration
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    markdown = args.markdown or args.out.with_name("RESULTS.md")
    write_markdown(markdown, render(results))
    print(markdown.read_text())


def stack(python: str) -> str:
    """The event loop and HTTP parser uvicorn picks in that environment ("auto")."""
    probe = ("import importlib.util as u; print(('uvloop' if u.find_spec('uvloop') else "
             "'asyncio') + ' + ' + ('httptools' if u.find_spec('httptools') else 'h11'))")
    return subprocess.run([python, "-c", probe], capture_output=True, text=True,
                          check=False).stdout.strip()


def machine(datasette: str | None) -> dict[str, Any]:
    version = None
    if datasette:
        version = subprocess.run([datasette, "--version"], capture_output=True, text=True,
                                 check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "server_stack": {"frontwire": stack(sys.executable),
                             "datasette": stack(str(Path(datasette).with_name("python")))
                             if datasette else None},
            "sqlite": sqlite3.sqlite_version, "datasette": version,
            "load_generator": "wrk 4.1 (-t1)" if shutil.which("wrk") else "python threads",
            "date": time.strftime("%Y-%m-%d")}


START, END = "<!-- tables: generated by bench/run.py -->", "<!-- /tables -->"


def write_markdown(path: Path, tables: str) -> None:
    """Replace the generated tables in ``path``, keeping the hand-written analysis around them."""
    block = f"{START}\n{tables}{END}\n"
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = block + text
    path.write_text(text)


def render(results: dict[str, Any]) -> str:
    """The Markdown tables: one per size, then the growth of list latency between sizes."""
    meta = results["machine"]
    machine_line = (f"Machine: {meta['cpus']} cores, Python {meta['python']}, SQLite "
                    f"{meta['sqlite']}, {meta['datasette'] or 'Datasette absent'}; load generator "
                    f"{meta['load_generator']}; server stack {meta.get('server_stack')}; "
                    f"{meta['date']}. Generated by `bench/run.py` from `bench/results.json`.")
    header = ("| query | clients | floor p50 ms | frontwire p50 / p95 ms | frontwire req/s "
              "| Datasette p50 / p95 ms | Datasette req/s | frontwire / Datasette req/s "
              "| frontwire / floor p50 |")
    lines = ["# Query benchmark results", "", machine_line, ""]
    for size, data in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        lines += [f"## {int(size):,} events ({data.get('duration_s')} s per measurement)", "",
                  header, "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for name, q in data["queries"].items():
            for clients in q.get("clients", [8, 32]):
                lines.append(row(name, str(clients), q))
        lines.append("")
    lines += growth(results) + ingestion(results.get("ingest"))
    return "\n".join(lines) + "\n"


def ingestion(result: dict[str, Any] | None) -> list[str]:
    """The ingestion table (written by bench/ingest.py into the same results file)."""
    if not result:
        return []
    spacy = result["spacy_alone"]["articles_per_s"]
    title = (f"## Ingestion: {result['articles']} articles of ~{result['mean_words']} words "
             f"(`bench/ingest.py`, nlp.pipe batch {result['batch_size']})")
    extraction = result["extraction_1_process"]["articles_per_s"]
    lines = [title, "", "| what | articles/s | time vs spaCy alone |", "|---|--:|--:|",
             f"| spaCy alone, 1 process | {spacy:.1f} | 1.00x |",
             f"| extraction, 1 process | {extraction:.1f} | {result['overhead_vs_spacy']:.2f}x |"]
    for run in result["ingest"]:
        lines.append(f"| ingest into SQLite, {run['processes']} process(es) "
                     f"| {run['articles_per_s']:.1f} | {spacy / run['articles_per_s']:.2f}x |")
    return lines + [""]


def row(name: str, clients: str, q: dict[str, Any]) -> str:
    fw, ds = q.get("frontwire", {}).get(clients), (q.get("datasette") or {}).get(clients)
    floor_p50 = q["floor"]["p50_ms"]
    cells = [name, clients, f"{floor_p50:.2f}"]
    cells += [f"{fw['p50_ms']:.1f} / {fw['p95_ms']:.1f}", f"{fw['rps']:.0f}"] if fw else ["-", "-"]
    cells += [f"{ds['p50_ms']:.1f} / {ds['p95_ms']:.1f}", f"{ds['rps']:.0f}"] if ds else \
        ["n/a", "n/a"]
    cells.append(f"{fw['rps'] / ds['rps']:.2f}x" if fw and ds and ds["rps"] else "n/a")
    cells.append(f"{fw['p50_ms'] / floor_p50:.1f}x" if fw and floor_p50 else "-")
    return "| " + " | ".join(cells) + " |"


def growth(results: dict[str, Any]) -> list[str]:
    """p50 at the largest size over p50 at the next one down, per list query (8 clients)."""
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) < 2:
        return []
    small, large = results["sizes"][sizes[-2]], results["sizes"][sizes[-1]]
    title = f"## Growth from {int(sizes[-2]):,} to {int(sizes[-1]):,} events (fewest clients)"
    lines = [title, "",
             (f"| query | frontwire p50 ms at {int(sizes[-2]):,} | at {int(sizes[-1]):,} | growth "
             "| floor growth |"),
             "|---|--:|--:|--:|--:|"]
    for name, q in large["queries"].items():
        before = small["queries"].get(name)
        if not before or "frontwire" not in q:
            continue
        first = str(q["clients"][0])
        if first not in before["frontwire"] or first not in q["frontwire"]:
            continue
        a, b = before["frontwire"][first]["p50_ms"], q["frontwire"][first]["p50_ms"]
        fa, fb = before["floor"]["p50_ms"], q["floor"]["p50_ms"]
        lines.append(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f}x | {fb / fa:.2f}x |")
    return lines + [""]


if __name__ == "__main__":
    main()

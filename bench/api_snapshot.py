"""The API's answers to a fixed set of requests, as one JSON file, to compare two versions.

Usage: python bench/api_snapshot.py OUT.json   (then ``cmp before.json after.json``)

A change that should not change behaviour (a refactoring, a faster query) must leave every
answer byte-identical. This ingests ``seeds/`` and the dev articles into a fresh SQLite file,
then records status, media type and body of each request below; date-times (when articles
were ingested or changed) are the only values masked, since they differ on every run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = [
    "/health", "/v1/meta", "/v1/articles", "/v1/articles/1", "/v1/articles/2",
    "/v1/events?limit=500", "/v1/events?format=csv&limit=500",
    "/v1/events?format=geojson&limit=500", "/v1/events/1", "/v1/events?country=UA",
    "/v1/events?type=shelling", "/v1/events?actor=Russia", "/v1/events?q=killed",
    "/v1/events?date_from=2024-01-01&date_to=2024-12-31&include_undated=true",
    "/v1/events?bbox=30,44,40,52", "/v1/events?sort=-date", "/v1/figures?limit=500",
    "/v1/figures?format=csv&limit=500", "/v1/figures?counts=killed", "/v1/figures?hedged=true",
    "/v1/places?limit=500", "/v1/actors?limit=500", "/v1/claims", "/v1/stats/timeline",
    "/v1/stats/country", "/v1/stats/type", "/v1/stats/actor", "/v1/stats/counts",
    "/v1/stats/place", "/v1/stats/timeline?interval=week",
    "/v1/changes", "/v1/events?unknown=1", "/v1/events?date_from=yesterday",
    "/v1/events?cursor=forged", "/openapi.json",
]
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.splitlines()[2])
    work = Path(tempfile.mkdtemp(prefix="frontwire-api-snapshot-"))
    os.environ["FRONTWIRE_DATABASE_URL"] = f"sqlite:///{work / 'snapshot.db'}"
    os.environ["FRONTWIRE_CACHE_DIR"] = str(Path.home() / ".cache" / "frontwire")
    frontwire = [sys.executable, "-m", "app.cli"]
    subprocess.run([*frontwire, "db", "upgrade"], check=True, cwd=ROOT)
    subprocess.run([*frontwire, "ingest", "seeds/", "tests/fixtures/dev/articles"], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)
    from fastapi.testclient import TestClient

    from app.main import create_app

    answers = {}
    with TestClient(create_app()) as client:
        for url in REQUESTS:
            response = client.get(url)
            answers[url] = {"status": response.status_code,
                            "type": response.headers.get("content-type"),
                            "body": TIMESTAMP.sub("*", response.text)}
    Path(sys.argv[1]).write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    print(f"{len(answers)} answers -> {sys.argv[1]}")


if __name__ == "__main__":
    main()

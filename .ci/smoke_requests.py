"""The checks of .ci/smoke.sh, run by the fresh venv's Python (standard library only).

``check-install``: frontwire is a plain (non-editable) install in this venv's site-packages.
``requests URL``: wait for /health, POST one text/plain and one text/html article, expect 201
for each, read their events back through /v1/events?article_id=N (at least one each), and check
that the HTML page's navigation and script did not end up in the stored text.
Every failure exits 1 with one line saying what was expected and what came back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

PLAIN_ARTICLE = """\
Shelling kills four in Kharkiv

KHARKIV, Ukraine, March 3, 2024 (Wire) - Russian shelling killed four civilians and wounded 12
in the Ukrainian city of Kharkiv on Sunday, the regional governor Oleh Syniehubov said.
Artillery shells hit a market and two apartment blocks in the city's Saltivskyi district,
he said. Emergency crews were still searching the rubble on Sunday evening.
"""

HTML_NOISE = ("Subscribe to our newsletter", "trackVisitor")
HTML_ARTICLE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Drone strike on El Fasher market kills 15</title>
<script>function trackVisitor() { document.cookie = "seen=1"; }</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe to our newsletter</nav>
<article>
<h1>Drone strike on El Fasher market kills 15</h1>
<p>EL FASHER, Sudan, Jan. 14, 2025 (Wire) - A drone strike by the Rapid Support Forces killed
15 people at a crowded market in El Fasher, the capital of North Darfur state, on Tuesday,
local health officials said.</p>
<p>At least 30 people were wounded in the attack, the officials said. The paramilitary RSF
has besieged the city for months in its war with the Sudanese army.</p>
</article>
<script>trackVisitor();</script>
<footer>Copyright 2025. Subscribe to our newsletter.</footer>
</body></html>
"""


class SmokeFailure(Exception):
    """A check that did not hold: the message says what was expected and what came back."""


def check_install() -> None:
    """frontwire must come from site-packages, not from a checkout or an editable hook."""
    import importlib.metadata

    import app

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(app.__file__).resolve().parent
    if package.parent != site:
        raise SmokeFailure(f"app imported from {package}, not from {site}")
    direct_url = importlib.metadata.distribution("frontwire").read_text("direct_url.json")
    if direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"):
        raise SmokeFailure(f"frontwire is an editable install: {direct_url}")
    print(f"frontwire {importlib.metadata.version('frontwire')} installed at {package}")


def call(method: str, url: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict]:
    """(status, JSON body) of one request; HTTP errors are answers too, not exceptions."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"body": text[:500]}


def wait_for_health(base: str, server_pid: int, limit: float = 90) -> None:
    """Poll /health until it answers 200; give up at once if the server process has died."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not Path(f"/proc/{server_pid}").exists():
            raise SmokeFailure(f"the server (pid {server_pid}) exited before answering /health")
        try:
            status, body = call("GET", f"{base}/health", timeout=5)
        except OSError:
            time.sleep(0.5)
            continue
        if status == 200:
            print(f"/health: 200 {json.dumps(body)}")
            return
        time.sleep(0.5)
    raise SmokeFailure(f"/health did not answer 200 within {limit:.0f} s")


def post_article(base: str, key: str, body: str, media_type: str) -> int:
    """POST one article; the first one waits for the model and gazetteer to load."""
    status, answer = call("POST", f"{base}/v1/articles", body.encode("utf-8"), timeout=300,
                          headers={"Content-Type": f"{media_type}; charset=utf-8",
                                   "X-API-Key": key})
    if status != 201:
        raise SmokeFailure(f"POST {media_type}: expected 201, got {status} {json.dumps(answer)}")
    return int(answer["id"])


def events_of(base: str, article_id: int, media_type: str) -> list[dict]:
    """The article's events through the public filter; at least one is expected."""
    status, page = call("GET", f"{base}/v1/events?article_id={article_id}&limit=50")
    if status != 200:
        raise SmokeFailure(f"GET events of article {article_id}: {status} {json.dumps(page)}")
    if not page["items"]:
        raise SmokeFailure(f"{media_type} article {article_id}: no events extracted")
    return page["items"]


def describe(event: dict) -> str:
    place = (event.get("place") or {}).get("name")
    return f"{event.get('type')} at {place} on {(event.get('date') or {}).get('start')}"


def run_requests(base: str, key: str, server_pid: int) -> None:
    wait_for_health(base, server_pid)
    for body, media_type in ((PLAIN_ARTICLE, "text/plain"), (HTML_ARTICLE, "text/html")):
        started = time.monotonic()
        article_id = post_article(base, key, body, media_type)
        events = events_of(base, article_id, media_type)
        print(f"POST {media_type}: 201, article {article_id} ({time.monotonic() - started:.1f} s),"
              f" {len(events)} event(s): " + "; ".join(describe(e) for e in events))
    status, article = call("GET", f"{base}/v1/articles/{article_id}")
    leaked = [noise for noise in HTML_NOISE if noise in str(article.get("text"))]
    if status != 200 or leaked:
        raise SmokeFailure(f"HTML article {article_id}: {status}, page noise kept: {leaked}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check-install")
    requests = commands.add_parser("requests")
    requests.add_argument("base_url")
    requests.add_argument("--key", required=True)
    requests.add_argument("--server-pid", type=int, required=True)
    arguments = parser.parse_args()
    try:
        if arguments.command == "check-install":
            check_install()
        else:
            run_requests(arguments.base_url.rstrip("/"), arguments.key, arguments.server_pid)
    except SmokeFailure as failure:
        print(f"smoke check failed: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())

"""Writers and readers at once, on each backend: no "database is locked", no error at all.

Writers ingest distinct articles two ways at the same time (``ingest_text`` in threads with
their own sessions, and ``POST /v1/articles``), including two variants of the same wire story
so that places and actors are created by racing transactions. Readers meanwhile loop over
lists, details and statistics. Everything is bounded in time: threads are joined with a
timeout and a thread still alive fails the test.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Settings
from app.db import get_engine
from app.ingest.service import ingest_text
from app.main import create_app
from app.models import Article, Event
from tests.conftest import API_KEY, DEV_ARTICLES, dispose

DEADLINE_S = 60.0
READ_PATHS = ["/v1/events?limit=50", "/v1/events?country=UA&limit=20", "/v1/figures?limit=50",
              "/v1/articles", "/v1/places", "/v1/actors", "/v1/stats/country",
              "/v1/stats/timeline?interval=month", "/health"]


def _article(name: str, variant: int = 0) -> str:
    """A dev article; ``variant`` > 0 appends a dateline so the text (and its hash) differs."""
    text = (DEV_ARTICLES / name).read_text(encoding="utf-8")
    return text if variant == 0 else f"{text.rstrip()}\n\nUpdated edition {variant}.\n"


# Two variants of one story race on the same places/actors; the others are distinct stories.
THREAD_BATCHES = [[("kursk_wire.txt", 1), ("goma_m23_wire.txt", 0)],
                  [("kursk_wire.txt", 2), ("mawasi_liveblog.txt", 0)]]
POSTED = [("barsalogho_htmlpaste.txt", 0), ("sounion_short.txt", 0)]


@dataclass
class Outcome:
    """What every thread saw; shared, appended to under a lock."""

    errors: list[str] = field(default_factory=list)
    reads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


@pytest.fixture(scope="module", autouse=True)
def _warm_pipeline() -> None:
    """Load spaCy and the gazetteers before timing anything."""
    from app.ingest.pipeline import warm_up

    warm_up()


def _guarded(outcome: Outcome, body: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            body()
        except Exception:  # noqa: BLE001 - every failure, whatever its type, is the finding
            outcome.record(traceback.format_exc(limit=6))
    return run


def _ingest_batch(url: str, batch: list[tuple[str, int]]) -> Callable[[], None]:
    def body() -> None:
        for name, variant in batch:
            with Session(get_engine(url)) as session:
                assert ingest_text(session, _article(name, variant)).created
    return body


def _post_batch(client: TestClient, outcome: Outcome) -> Callable[[], None]:
    def body() -> None:
        for name, variant in POSTED:
            response = client.post("/v1/articles", json={"text": _article(name, variant)},
                                   headers={"X-API-Key": API_KEY})
            if response.status_code != 201:
                outcome.record(f"POST {name}: {response.status_code} {response.text[:300]}")
    return body


def _read_loop(client: TestClient, outcome: Outcome, stop: threading.Event) -> Callable[[], None]:
    def body() -> None:
        while not stop.is_set():
            for path in READ_PATHS:
                _check(client, outcome, path)
            items = client.get("/v1/events?limit=5").json()["items"]
            for event in items:
                _check(client, outcome, f"/v1/events/{event['id']}")
    return body


def _check(client: TestClient, outcome: Outcome, path: str) -> None:
    response = client.get(path)
    with outcome.lock:
        outcome.reads += 1
    if response.status_code != 200:
        outcome.record(f"GET {path}: {response.status_code} {response.text[:300]}")


def _run_all(writers: list[threading.Thread], readers: list[threading.Thread],
             stop: threading.Event) -> list[str]:
    """Start everything, wait for the writers, then stop the readers; names of hung threads."""
    for thread in readers + writers:
        thread.start()
    deadline = time.monotonic() + DEADLINE_S
    for thread in writers:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stop.set()
    for thread in readers:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    return [t.name for t in writers + readers if t.is_alive()]


def test_ingest_while_reading(database_url: str) -> None:
    outcome, stop = Outcome(), threading.Event()
    app = create_app(Settings(database_url=database_url, api_key=API_KEY, warm_up=False))
    with TestClient(app) as client:
        with Session(get_engine(database_url)) as session:  # something to read from the start
            ingest_text(session, _article("aleppo_liveblog.txt"))
        writers = [threading.Thread(target=_guarded(outcome, _ingest_batch(database_url, b)),
                                    name=f"ingest-{i}") for i, b in enumerate(THREAD_BATCHES)]
        writers.append(threading.Thread(target=_guarded(outcome, _post_batch(client, outcome)),
                                        name="post"))
        readers = [threading.Thread(target=_guarded(outcome, _read_loop(client, outcome, stop)),
                                    name=f"reader-{i}") for i in range(3)]
        hung = _run_all(writers, readers, stop)
    dispose(database_url, app.state.engine)
    assert hung == [], f"threads still running after {DEADLINE_S}s: {hung}"
    assert outcome.errors == [], "\n".join(outcome.errors[:5])
    assert outcome.reads >= len(READ_PATHS) * 3, "the readers barely ran"
    _assert_everything_stored(database_url)


def _assert_everything_stored(url: str) -> None:
    """Every article landed once, and the racing variants share their places and actors."""
    expected = 1 + sum(len(b) for b in THREAD_BATCHES) + len(POSTED)
    with Session(get_engine(url)) as session:
        articles = session.exec(select(Article)).all()
        assert len(articles) == expected
        assert len({a.sha256 for a in articles}) == expected
        assert session.exec(select(Event)).first() is not None

"""The per-article time budget (FRONTWIRE_EXTRACTION_TIMEOUT) on every ingestion path.

Past the budget an article fails with "extraction exceeded N s": ``POST /v1/articles``
answers 422 with that reason, ``frontwire ingest`` reports the file as failed; nothing of the
article is stored, and the worker process that was extracting it is killed (its pid is gone),
then replaced so the next article extracts as usual. A real article and a budget of 1 ms make
the timeout certain without any timing assumption; the ``--processes`` test needs only that a
1 MB text takes longer than 8 s to extract while a 1 KB one does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings, get_settings
from app.db import get_engine
from app.ingest import worker_pool
from app.main import create_app
from app.models import Article, Change, Event, Figure
from tests.conftest import API_KEY, DEV_ARTICLES, ROOT, dispose

ARTICLE = (DEV_ARTICLES / "kursk_wire.txt").read_text(encoding="utf-8")
SHORT = (DEV_ARTICLES / "sounion_short.txt").read_text(encoding="utf-8")
TINY = 0.001
HEADERS = {"X-API-Key": API_KEY}


def warm_worker_pid() -> int:
    """Start this process's extraction worker, wait until it is warm, return its pid."""
    worker_pool.warm_up()
    pid = worker_pool.shared_pool().workers[0].pid
    assert pid is not None and alive(pid)
    return pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stored_rows(url: str) -> dict[str, int]:
    with Session(get_engine(url)) as session:
        return {model.__name__: session.exec(select(func.count()).select_from(model)).one()
                for model in (Article, Event, Figure, Change)}


def post(client: TestClient, text: str):  # type: ignore[no-untyped-def]
    return client.post("/v1/articles", json={"text": text}, headers=HEADERS)


def budget_app(url: str, seconds: float):  # type: ignore[no-untyped-def]
    return create_app(Settings(database_url=url, api_key=API_KEY, warm_up=False,
                               extraction_timeout=seconds))


def test_post_past_the_budget_fails_stores_nothing_and_kills_the_worker(
        database_url: str) -> None:
    before = stored_rows(database_url)
    app = budget_app(database_url, TINY)
    with TestClient(app) as client:
        pid = warm_worker_pid()
        response = post(client, ARTICLE)
        assert response.status_code == 422, response.text
        assert response.json() == {"detail": "extraction exceeded 0.001 s"}
        assert not alive(pid)  # SIGKILLed and reaped, not left running
        assert worker_pool.shared_pool().workers[0].pid != pid  # a fresh one took its place
        assert client.get("/v1/articles", params={"count": "true"}).json()["total"] == 0
    assert stored_rows(database_url) == before
    dispose(database_url, app.state.engine)


def test_the_next_article_after_a_timeout_is_extracted(database_url: str) -> None:
    tight, roomy = budget_app(database_url, TINY), budget_app(database_url, 600)
    with TestClient(tight) as client:
        assert post(client, ARTICLE).status_code == 422
    with TestClient(roomy) as client:
        response = post(client, ARTICLE)
        assert response.status_code == 201, response.text
        assert response.json()["event_count"] > 0 and response.json()["figure_count"] > 0
    assert stored_rows(database_url)["Article"] == 1
    dispose(database_url, tight.state.engine, roomy.state.engine)


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FRONTWIRE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_cli_reports_an_article_past_the_budget(tmp_path: Path, database_url: str,
                                                cli_env: pytest.MonkeyPatch) -> None:
    cli_env.setenv("FRONTWIRE_EXTRACTION_TIMEOUT", str(TINY))
    get_settings.cache_clear()
    path = tmp_path / "kursk.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    pid = warm_worker_pid()
    result = CliRunner().invoke(cli, ["ingest", str(path)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "new: 0 duplicate: 0 failed: 1" in output
    assert f"failed {path}: extraction exceeded 0.001 s" in output
    assert not alive(pid)
    assert stored_rows(database_url)["Article"] == 0


def test_cli_processes_fail_only_the_article_past_the_budget(
        tmp_path: Path, database_url: str, cli_env: pytest.MonkeyPatch) -> None:
    """With --processes 2 the big article shares a batch with a short one: the batch runs
    over, its articles are retried one by one, and only the big one fails."""
    sys.path.insert(0, str(ROOT))
    from bench.extraction_cost import normal

    cli_env.setenv("FRONTWIRE_EXTRACTION_TIMEOUT", "8")
    get_settings.cache_clear()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_big.txt").write_text(normal(1_000_000), encoding="utf-8")
    (folder / "b.txt").write_text(SHORT, encoding="utf-8")
    (folder / "c.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--processes", "2", str(folder)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "new: 2 duplicate: 0 failed: 1" in output
    assert f"failed {folder / 'a_big.txt'}: extraction exceeded 8 s" in output
    with Session(get_engine(database_url)) as session:
        texts = [a.text for a in session.exec(select(Article))]
    assert sorted(texts) == sorted([SHORT, ARTICLE])


def test_posting_does_not_load_spacy_in_the_api_process(tmp_path: Path) -> None:
    """The model lives in the extraction worker (and the forkserver it is forked from), so
    the API process keeps no copy of spaCy even after extracting an article."""
    code = f"""
import sys
from fastapi.testclient import TestClient
from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
url = "sqlite:///{tmp_path / 'api.db'}"
upgrade(url)
app = create_app(Settings(database_url=url, api_key="k"))
with TestClient(app) as client:
    app.state.warm_up_thread.join()
    response = client.post("/v1/articles", json={{"text": {SHORT!r}}}, headers={{"X-API-Key": "k"}})
print(response.status_code, response.json()["event_count"] > 0, "spacy" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=900)
    assert out.stdout.split() == ["201", "True", "False"], out.stderr[-2000:]


def test_a_worker_killed_from_outside_answers_503_then_recovers(database_url: str) -> None:
    """A worker that dies mid-article (SIGKILLed here, as the kernel's OOM killer would)
    fails that article with 503 and a reason; one that dies while idle is replaced before
    the next article, which is extracted as usual."""
    import signal
    import threading
    import time

    sys.path.insert(0, str(ROOT))
    from bench.extraction_cost import normal

    app = budget_app(database_url, 600)
    with TestClient(app) as client:
        pid = warm_worker_pid()
        killer = threading.Thread(target=kill_once_busy, args=(pid,))
        killer.start()
        response = post(client, normal(1_000_000))  # long work: it is killed halfway
        killer.join()
        assert response.status_code == 503, response.text
        assert response.json() == {"detail": "extraction worker died (exit code -9)"}
        assert stored_rows(database_url)["Article"] == 0
        os.kill(warm_worker_pid(), signal.SIGKILL)  # dead while idle
        while worker_pool.shared_pool().workers[0].alive:
            time.sleep(0.01)
        assert post(client, SHORT).status_code == 201
    assert stored_rows(database_url)["Article"] == 1
    dispose(database_url, app.state.engine)


def kill_once_busy(pid: int) -> None:
    """SIGKILL ``pid`` once it has used a second of CPU (it is extracting by then)."""
    import signal

    wait_until_busy(pid)
    os.kill(pid, signal.SIGKILL)


def wait_until_busy(pid: int) -> None:
    """Return once ``pid`` has used a second of CPU: no wall-clock guess involved."""
    import time

    ticks = os.sysconf("SC_CLK_TCK")
    start = cpu_ticks(pid)
    while cpu_ticks(pid) - start < ticks:
        time.sleep(0.02)


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process, in clock ticks (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_a_worker_stops_when_its_server_is_killed(tmp_path: Path) -> None:
    """SIGKILL the process that owns a busy worker: the worker does not finish its article
    for no one (no budget is enforced any more), it exits within seconds. (Its forkserver
    stays while any worker of it runs, so the worker watches its owner's pid.)"""
    import signal
    import time

    code = """
import sys, time
sys.path.insert(0, ".")
from bench.extraction_cost import normal
from app.ingest import worker_pool
from app.ingest.text.read import read_article
article = read_article(normal(2_000_000))
worker_pool.warm_up()
worker = worker_pool.shared_pool().workers[0]
worker.submit([article])
print(worker.pid, flush=True)
time.sleep(600)
"""
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as owner:
        try:
            pid = int(owner.stdout.readline())  # type: ignore[union-attr]
            wait_until_busy(pid)  # the worker is extracting...
        finally:
            owner.send_signal(signal.SIGKILL)  # ...when its owner dies
    deadline = time.monotonic() + 60
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(pid)


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"

"""SIGKILL in the middle of ``frontwire ingest`` leaves a consistent database.

The store commits one transaction per article, so a killed batch may lose the article it
was working on but never leaves an article without its events or rows pointing at nothing;
running the batch again finishes it with no duplicates and the same rows as a clean run.
Runs the real CLI in a subprocess on its own SQLite file (a kill must hit a real process).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.migrate import upgrade
from tests.conftest import DEV_ARTICLES, FIXTURES, ROOT

pytestmark = pytest.mark.slow

ARTICLES = 30
RUN_TIMEOUT = 300  # seconds for a whole batch (about 15 s on a quiet machine)
KILL_AFTER = 3  # articles committed before the kill
ORPHANS = {
    "event without article":
        "SELECT count(*) FROM event WHERE article_id NOT IN (SELECT id FROM article)",
    "figure without article":
        "SELECT count(*) FROM figure WHERE article_id NOT IN (SELECT id FROM article)",
    "figure without event":
        "SELECT count(*) FROM figure WHERE event_id IS NOT NULL "
        "AND event_id NOT IN (SELECT id FROM event)",
    "event_actor without event":
        "SELECT count(*) FROM event_actor WHERE event_id NOT IN (SELECT id FROM event)",
    "event_actor without actor":
        "SELECT count(*) FROM event_actor WHERE actor_id NOT IN (SELECT id FROM actor)",
    "event with a missing place":
        "SELECT count(*) FROM event WHERE place_id IS NOT NULL "
        "AND place_id NOT IN (SELECT id FROM place)",
}
PER_ARTICLE = """
SELECT a.sha256,
       (SELECT count(*) FROM event e WHERE e.article_id = a.id),
       (SELECT count(*) FROM figure f WHERE f.article_id = a.id),
       (SELECT count(*) FROM event_actor x JOIN event e ON e.id = x.event_id
         WHERE e.article_id = a.id)
FROM article a
"""


def make_corpus(folder: Path, count: int) -> None:
    """``count`` distinct articles from the fixtures; repeats get a line that varies them."""
    sources = sorted(DEV_ARTICLES.glob("*.txt")) + sorted(FIXTURES.glob("holdout*/articles/*.txt"))
    folder.mkdir()
    for index in range(count):
        source = sources[index % len(sources)]
        text = source.read_text(encoding="utf-8")
        if index >= len(sources):
            text += f"\n\n(Archive copy {index // len(sources)}.)\n"
        (folder / f"{index:03d}_{source.name}").write_text(text, encoding="utf-8")


def cli(folder: Path, url: str) -> subprocess.Popen[bytes]:
    """``frontwire ingest FOLDER`` as its own process on the database at ``url``."""
    env = {**os.environ, "FRONTWIRE_DATABASE_URL": url}
    return subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", str(folder)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def run_to_end(folder: Path, url: str) -> str:
    process = cli(folder, url)
    output, _ = process.communicate(timeout=RUN_TIMEOUT)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0, text
    return text


def query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def article_count(path: Path) -> int:
    return int(query(path, "SELECT count(*) FROM article")[0][0])


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table (full-text index internals excluded: their layout varies by batch)."""
    names = [row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type='table'")
             if row[0] != "alembic_version" and "fts" not in row[0]]
    return {name: int(query(path, f'SELECT count(*) FROM "{name}"')[0][0]) for name in names}


def per_article(path: Path) -> dict[str, tuple[int, int, int]]:
    """content hash -> (events, figures, actor links) of every stored article."""
    return {row[0]: tuple(row[1:]) for row in query(path, PER_ARTICLE)}  # type: ignore[misc]


def wait_for_articles(path: Path, process: subprocess.Popen[bytes], at_least: int) -> int:
    """Poll until ``at_least`` articles are committed; fail if the batch ends or stalls."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        count = article_count(path)
        if count >= at_least:
            return count
        assert process.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail(f"fewer than {at_least} articles stored after {RUN_TIMEOUT} s")


def new_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_mid_batch_leaves_a_consistent_database_and_a_rerun_completes(
        tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    make_corpus(folder, ARTICLES)
    clean_db, crash_db = tmp_path / "clean.db", tmp_path / "crash.db"
    run_to_end(folder, new_database(clean_db))
    expected = per_article(clean_db)
    assert len(expected) == ARTICLES

    crash_url = new_database(crash_db)
    process = cli(folder, crash_url)
    try:
        wait_for_articles(crash_db, process, KILL_AFTER)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    stored = per_article(crash_db)
    assert KILL_AFTER <= len(stored) < ARTICLES, "the kill should land mid-batch"
    for name, sql in ORPHANS.items():
        assert query(crash_db, sql)[0][0] == 0, name
    for sha, counts in stored.items():  # each stored article is whole: all its events
        assert counts == expected[sha], sha

    summary = run_to_end(folder, crash_url)
    assert f"new: {ARTICLES - len(stored)}  duplicate: {len(stored)}  failed: 0" in summary
    assert per_article(crash_db) == expected
    assert query(crash_db, "SELECT count(DISTINCT sha256), count(*) FROM article")[0] == (
        ARTICLES, ARTICLES)
    assert table_counts(crash_db) == table_counts(clean_db)
    for name, sql in ORPHANS.items():
        assert query(crash_db, sql)[0][0] == 0, name

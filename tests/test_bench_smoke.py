"""The benchmarks keep working: a tiny synthetic database, ``bench/run.py --quick`` end to end,
and batched multi-process ingestion storing what one-at-a-time ingestion stores.

No timing is asserted anywhere: the machine is shared and the numbers belong in
bench/RESULTS.md, not in pass/fail.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import Session

from app.db import get_engine
from app.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import synth  # noqa: E402 (needs the sys.path insert above)

pytestmark = pytest.mark.slow

TINY = 300


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / f"synth-{TINY}.db"
    synth.build(path, TINY, seed=3, quiet=True)
    return path


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT count(*) FROM event", TINY),
    # every excerpt is the article's own text at its offsets
    (("SELECT count(*) FROM event e JOIN article a ON a.id = e.article_id "
     "WHERE substr(a.text, e.excerpt_start + 1, e.excerpt_end - e.excerpt_start) "
     "!= e.excerpt_text"), 0),
    (("SELECT count(*) FROM figure f JOIN article a ON a.id = f.article_id "
     "WHERE substr(a.text, f.start + 1, f.\"end\" - f.start) != f.text"), 0),
    # the FTS5 triggers of migration 0002 indexed every excerpt
    ("SELECT count(*) FROM event_fts", TINY),
    # one change-log row per created record, as the store writes them
    ("SELECT count(*) FROM change_log WHERE entity = 'event'", TINY),
    ("SELECT count(*) FROM event WHERE place_id IS NULL OR country IS NULL", 0),
    # every event has its sentence as its one mention, and its initiator as actor1
    (("SELECT count(*) FROM event_mention m JOIN event e ON e.id = m.event_id "
      "WHERE m.text = e.excerpt_text AND m.start = e.excerpt_start"), TINY),
    ("SELECT count(*) FROM event WHERE actor1_id IS NULL OR background", 0),
])
def test_synthetic_database_is_consistent(tiny_db: Path, sql: str, expected: int) -> None:
    with closing(sqlite3.connect(tiny_db)) as db:
        assert db.execute(sql).fetchone()[0] == expected


def test_synthetic_database_is_reproducible(tmp_path: Path, tiny_db: Path) -> None:
    again = tmp_path / "again.db"
    synth.build(again, TINY, seed=3, quiet=True)
    query = ("SELECT group_concat(excerpt_text, '|') "
             "FROM (SELECT excerpt_text FROM event ORDER BY id)")
    with closing(sqlite3.connect(tiny_db)) as first, closing(sqlite3.connect(again)) as second:
        assert first.execute(query).fetchone() == second.execute(query).fetchone()


def test_quick_benchmark_runs_end_to_end(tmp_path: Path, tiny_db: Path) -> None:
    out = tmp_path / "results.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--events", str(TINY),
               "--duration", "0.2", "--clients", "2", "--no-datasette",
               "--data-dir", str(tiny_db.parent), "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=300)
    results = json.loads(out.read_text())
    measured = results["sizes"][str(TINY)]["queries"]
    assert len(measured) >= 9
    for name, query in measured.items():
        assert query["frontwire"]["status"] == 200, name
        assert query["frontwire"]["bytes"] > 0, name
        assert query["floor"]["requests"] >= 3, name
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| country + date range | 2 |" in table


ARTICLES = [
    ("KHARTOUM, June 3 (Wire) - The Rapid Support Forces shelled Omdurman on Monday, killing "
    "at least 12 civilians, the Sudanese army said. Residents fled towards Wad Madani."),
    ("GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday, residents said. At "
    "least 100 people have been killed, hospitals said."),
    ("SANAA, March 4 (Wire) - Houthi forces fired two missiles at a tanker in the Red Sea on "
    "Sunday, the US military said. No casualties were reported."),
    ("GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday, residents said. At "
    "least 100 people have been killed, hospitals said."),  # the same text again
]


@pytest.mark.parametrize("processes", [1, 2])
def test_batched_ingestion_matches_one_at_a_time(tmp_path: Path, processes: int) -> None:
    from app.ingest.service import ingest_many, ingest_text

    one_url, many_url = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "many.db"))
    for url in (one_url, many_url):
        upgrade(url)
    with Session(get_engine(one_url)) as session:
        expected = [ingest_text(session, text) for text in ARTICLES]
    with Session(get_engine(many_url)) as session:
        got = dict(ingest_many(session, ((t, None) for t in ARTICLES), processes=processes))
    for url in (one_url, many_url):
        get_engine(url).dispose()
    assert [(r.created, r.events, r.figures) for r in expected] == \
        [(got[i].created, got[i].events, got[i].figures) for i in range(len(ARTICLES))]
    assert got[3].article_id == got[1].article_id  # the repeat is the stored article


def test_extraction_cost_benchmark_runs(tmp_path: Path) -> None:
    """bench/extraction_cost.py at 1 KB: every shape measured, the table rendered beside the
    results (no timing is checked)."""
    out = tmp_path / "results.json"
    shapes = ["normal", "number_list", "short_lines", "towns"]
    command = [sys.executable, str(ROOT / "bench" / "extraction_cost.py"), "--sizes", "1",
               "--shapes", *shapes, "--cap", "300", "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=600)
    cells = json.loads(out.read_text())["extraction_cost"]["results"]
    assert list(cells) == shapes
    for shape in shapes:
        cell = cells[shape]["1"]
        assert cell["cpu_s"] > 0 and 900 <= cell["bytes"] <= 1200, shape
    assert cells["number_list"]["1"]["figures"] > 100  # "killed 1, 2, 3, ...": each one a figure
    table = (tmp_path / "RESULTS.md").read_text()
    assert "<!-- extraction-cost:" in table and "| number_list | " in table

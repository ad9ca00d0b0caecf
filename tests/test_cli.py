"""``frontwire ingest`` as a new user meets it: what was skipped and why, what was extracted.

A folder of PDFs used to report ``0/0`` and exit 0, and the bar sat at the first file while
the model loaded; these tests hold the summary to saying what happened to every file. The
``make`` targets are the documented way to run the commands without the venv on PATH.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app import cli as cli_module
from app.cli import app as cli
from app.config import get_settings
from app.db import get_engine
from app.models import Article, Event, Figure
from tests.conftest import DEV_ARTICLES, ROOT

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FRONTWIRE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def office_folder(folder: Path) -> Path:
    """Two PDFs and a Word file, plus files that are neither articles nor skipped ones."""
    folder.mkdir()
    (folder / "report.pdf").write_bytes(PDF)
    (folder / "annex.PDF").write_bytes(PDF)
    (folder / "brief.docx").write_bytes(DOCX)
    (folder / "brief.meta.json").write_text('{"publisher": "Wire"}', encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return folder


def flat(output: str) -> str:
    return " ".join(output.split())


def test_a_folder_of_unread_formats_says_why_and_fails(tmp_path: Path, cli_env: str) -> None:
    folder = office_folder(tmp_path / "office")
    result = CliRunner().invoke(cli, ["ingest", str(folder)])
    output = flat(result.output)
    assert result.exit_code == 1, result.output
    assert ("skipped 3 files: .pdf (2), .docx (1) are not read; convert them to .txt or "
            ".html" in output), output
    assert "nothing to ingest" in output and "0/0" not in output
    with Session(get_engine(cli_env)) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 0


def test_an_empty_folder_fails(tmp_path: Path, cli_env: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"nothing to ingest: no .txt or .html file in {tmp_path}" in flat(result.output)


def test_the_summary_counts_skipped_files_events_and_figures(tmp_path: Path,
                                                             cli_env: str) -> None:
    folder = office_folder(tmp_path / "mixed")
    for name in ("sounion_short.txt", "kursk_wire.txt"):
        shutil.copy(DEV_ARTICLES / name, folder / name)
    result = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    with Session(get_engine(cli_env)) as session:
        events = session.exec(select(func.count()).select_from(Event)).one()
        figures = session.exec(select(func.count()).select_from(Figure)).one()
    assert events > 0 and figures > 0
    output = flat(result.output)
    assert f"new: 2 duplicate: 0 failed: 0 not English: 0; {events} events, " \
           f"{figures} figures" in output, output
    assert "skipped 3 files: .pdf (2), .docx (1) are not read" in output
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "scan.pdf").write_bytes(PDF)
    shutil.copy(DEV_ARTICLES / "kursk_wire.txt", lone / "kursk_wire.txt")
    single = flat(CliRunner().invoke(cli, ["ingest", str(lone)]).output)
    assert "skipped 1 file: .pdf (1) is not read; convert it to .txt or .html" in single
    again = CliRunner().invoke(cli, ["ingest", str(folder / "kursk_wire.txt")])
    assert again.exit_code == 0
    assert "new: 0 duplicate: 1 failed: 0 not English: 0; 0 events, 0 figures" in \
        flat(again.output)
    assert "skipped" not in again.output


def test_the_progress_shows_the_model_loading_before_the_first_file(
        tmp_path: Path, cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal sees each stage as it starts: the first file waits on the model."""
    screen = io.StringIO()
    monkeypatch.setattr(cli_module, "console",
                        Console(file=screen, force_terminal=True, width=120))
    for name in ("a_sounion.txt", "b_kursk.txt"):
        source = "sounion_short.txt" if name.startswith("a") else "kursk_wire.txt"
        shutil.copy(DEV_ARTICLES / source, tmp_path / name)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 0, screen.getvalue()
    frames = [line for line in re.split(r"[\r\n]", ANSI.sub("", screen.getvalue()))
              if "/2" in line]
    assert frames, screen.getvalue()
    assert "loading model" in frames[0] and "0/2" in frames[0], frames
    second = [frame for frame in frames if "b_kursk.txt" in frame]
    assert second and all("loading model" not in frame for frame in second), frames


def make_dry_run(*arguments: str) -> subprocess.CompletedProcess[str]:
    """What ``make`` would run (``-n``), so the targets are checked without running them."""
    assert shutil.which("make"), "make is needed to check the Makefile"
    return subprocess.run(["make", "-n", "--no-print-directory", *arguments], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_make_targets_run_the_venv_commands() -> None:
    ingest = make_dry_run("ingest", "PATHS=seeds/ tests/fixtures/dev/articles")
    assert ingest.returncode == 0, ingest.stderr
    assert ".venv/bin/frontwire ingest seeds/ tests/fixtures/dev/articles" in ingest.stdout
    evaluate = make_dry_run("evaluate")
    assert evaluate.returncode == 0, evaluate.stderr
    assert (".venv/bin/frontwire evaluate tests/fixtures/dev/gold tests/fixtures/dev/articles"
            in evaluate.stdout)
    serve = make_dry_run("run", "PORT=8765", "HOST=0.0.0.0")
    assert ".venv/bin/frontwire serve --host 0.0.0.0 --port 8765" in serve.stdout


def test_make_ingest_without_paths_says_what_to_pass() -> None:
    missing = make_dry_run("ingest")
    assert missing.returncode != 0
    assert "PATHS" in missing.stderr and "make ingest PATHS=" in missing.stderr

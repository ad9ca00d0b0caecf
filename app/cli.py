"""The ``frontwire`` command: ingest articles, migrate the database, serve the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.config import get_settings

app = typer.Typer(help="frontwire: sourced, queryable event data from war reporting.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}


@dataclass
class IngestSummary:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_english: list[tuple[str, str]] = field(default_factory=list)


def collect_files(paths: list[Path]) -> list[Path]:
    """Article files named directly or found (sorted) under the named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES
                                and p.is_file()))
        else:
            files.append(path)
    return files


def sidecar_meta(path: Path, published: date | None, publisher: str | None,
                 url: str | None):  # type: ignore[no-untyped-def]
    """Metadata from ``NAME.meta.json`` beside the file, overridden by command-line flags."""
    from app.ingest.types import ArticleMeta

    data: dict = {}
    sidecar = path.with_name(path.stem + ".meta.json")
    if sidecar.exists():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    when = published or (date.fromisoformat(data["published"][:10]) if data.get("published")
                         else None)
    return ArticleMeta(title=data.get("title"), author=data.get("author"),
                       publisher=publisher or data.get("publisher"),
                       url=url or data.get("url"), published=when)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt/.html) or folders")],
    published: Annotated[str | None, typer.Option(help="Published date YYYY-MM-DD "
                                                          "(single file only)")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher (single file only)")] = None,
    url: Annotated[str | None, typer.Option(help="Source URL (single file only)")] = None,
    processes: Annotated[int, typer.Option(
        min=1, help="Extraction worker processes (about one per core; 1 = in this process)"
    )] = 1,
) -> None:
    """Extract events from articles and store them; the same text twice is a no-op."""
    files = collect_files(paths)
    if (published or publisher or url) and len(files) != 1:
        raise typer.BadParameter("--published/--publisher/--url need exactly one file")
    when = date.fromisoformat(published) if published else None
    summary = IngestSummary()
    with _progress() as progress:
        task = progress.add_task("ingesting", total=len(files))
        parallel = processes > 1 and len(files) > 1
        if parallel:
            _ingest_parallel(files, summary, processes, lambda: progress.advance(task))
        for path in [] if parallel else files:
            progress.update(task, description=path.name[:40])
            _ingest_file(path, summary, published=when, publisher=publisher, url=url)
            progress.advance(task)
    _print_summary(summary)
    if summary.failed:
        raise typer.Exit(1)


def _ingest_file(path: Path, summary: IngestSummary, **flags: object) -> None:
    """Ingest one file into its own transaction; any failure is recorded, never raised.

    One bad file must not stop a batch, and the store commits each article whole or not at
    all, so a failure here leaves nothing half-written behind.
    """
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.read import UnreadableArticle, check_size
    from app.ingest.service import ingest_bytes
    from app.ingest.worker_pool import ExtractionTimeout, WorkerLost

    settings = get_settings()
    try:
        meta = sidecar_meta(path, **flags)  # type: ignore[arg-type]
        check_size(path.stat().st_size, settings.max_article_bytes)
        with Session(get_engine(settings.database_url)) as session:
            result = ingest_bytes(session, path.read_bytes(), meta,
                                  max_bytes=settings.max_article_bytes)
    except (OSError, UnreadableArticle, ValueError, TypeError, ExtractionTimeout,
            WorkerLost) as error:  # "failed PATH: extraction exceeded 60 s"
        summary.failed.append((str(path), one_line(error)))
        return
    except Exception as error:  # noqa: BLE001 - a batch reports every failure and goes on
        reason = f"internal error ({type(error).__name__}): {one_line(error)}"
        summary.failed.append((str(path), reason))
        return
    (summary.new if result.created else summary.duplicate).append(str(path))
    if not result.extracted:
        summary.not_english.append((str(path), result.language))


def _ingest_parallel(files: list[Path], summary: IngestSummary, processes: int,
                     advance: Callable[[], None]) -> None:
    """Many files at once: extraction in ``processes`` workers, storing here, in file order.

    Same outcome per file as ``_ingest_file`` (new, duplicate, failed with reason, not
    English); with one file or a single flag there is nothing to parallelise.
    """
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.read import check_size, decode
    from app.ingest.service import ingest_many

    settings = get_settings()
    readable: list[tuple[Path, tuple[str, object]]] = []
    for path in files:
        try:
            check_size(path.stat().st_size, settings.max_article_bytes)
            readable.append((path, (decode(path.read_bytes()), sidecar_meta(path, None, None, None))))
        except (OSError, ValueError, TypeError) as error:
            summary.failed.append((str(path), one_line(error)))
            advance()
    with Session(get_engine(settings.database_url)) as session:
        results = ingest_many(session, (item for _, item in readable),  # type: ignore[misc]
                              processes=processes)
        for index, result in results:
            _record(str(readable[index][0]), result, summary)
            advance()


def _record(path: str, result: object, summary: IngestSummary) -> None:
    """One file's line in the summary, from its result or the error it raised."""
    from app.ingest.read import UnreadableArticle
    from app.ingest.service import IngestResult
    from app.ingest.worker_pool import ExtractionTimeout, WorkerLost

    if isinstance(result, IngestResult):
        (summary.new if result.created else summary.duplicate).append(path)
        if not result.extracted:
            summary.not_english.append((path, result.language))
    elif isinstance(result, OSError | UnreadableArticle | ValueError | TypeError
                    | ExtractionTimeout | WorkerLost):
        summary.failed.append((path, one_line(result)))
    elif isinstance(result, BaseException):
        reason = f"internal error ({type(result).__name__}): {one_line(result)}"
        summary.failed.append((path, reason))


def one_line(error: BaseException) -> str:
    """The first line of an error's message (a summary line per file, never a traceback)."""
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


def _print_summary(summary: IngestSummary) -> None:
    console.print(f"new: {len(summary.new)}  duplicate: {len(summary.duplicate)}  "
                  f"failed: {len(summary.failed)}  not English: {len(summary.not_english)}",
                  soft_wrap=True)
    for path, reason in summary.failed:
        console.print(f"  failed {path}: {reason}", soft_wrap=True, markup=False)
    for path, language in summary.not_english:
        console.print(f"  not English ({language}), stored without extraction: {path}",
                      soft_wrap=True, markup=False)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION (default: newest)."""
    from app.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    console.print(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision")]) -> None:
    """Revert migrations down to REVISION ('base' empties the database)."""
    from app.migrate import downgrade

    downgrade(get_settings().database_url, revision)
    console.print(f"database at {revision}")


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files", exists=True,
                                             file_okay=False)],
    articles_dir: Annotated[Path, typer.Argument(help="Folder of the articles they annotate",
                                                 exists=True, file_okay=False)],
    misses: Annotated[bool, typer.Option(help="List every miss per article")] = True,
) -> None:
    """Score extraction against gold annotations (precision, recall, F1, accuracies)."""
    from app.evaluate import evaluate as run_evaluation
    from app.evaluate import report_lines

    golds = sorted(gold_dir.glob("*.json"))
    with _progress() as progress:
        task = progress.add_task("evaluating", total=len(golds))
        total, per_article = run_evaluation(gold_dir, articles_dir,
                                            on_article=lambda _name: progress.advance(task))
    for line in report_lines(total, per_article, show_misses=misses):
        typer.echo(line)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          reload: bool = False) -> None:
    """Serve the API with uvicorn (docs at /docs)."""
    import uvicorn

    uvicorn.run("app.main:app", host=host, port=port, workers=workers, reload=reload)


@app.command("hash-key")
def hash_key_command(key: str = typer.Argument(..., help="The write key to hash")) -> None:
    """Print the SHA-256 digest of a write key, for FRONTWIRE_API_KEY_HASHES."""
    from app.config import hash_key

    typer.echo(f"sha256:{hash_key(key)}")


if __name__ == "__main__":
    app()

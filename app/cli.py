"""The ``frontwire`` command: ingest articles, migrate the database, serve the API."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from app.config import get_settings

if TYPE_CHECKING:  # imported where used: the CLI starts without the extraction stack
    from app.ingestion import ArticleMeta
    from app.schemas import ArticleMetadataIn

app = typer.Typer(help="frontwire: sourced, queryable event data from war reporting.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
SIDECAR_SUFFIX = ".meta.json"
LOADING_MODEL = "loading model"


@dataclass
class IngestSummary:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_english: list[tuple[str, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # suffix -> files not read
    extracted: int = 0  # articles that went through extraction in this run
    events: int = 0
    figures: int = 0


def collect_files(paths: list[Path], skipped: Counter[str] | None = None) -> list[Path]:
    """Article files named directly or found (sorted) under the named folders.

    Other files under a folder are counted in ``skipped`` by suffix, so a folder of PDFs
    says why nothing was read instead of reporting 0/0. Sidecars and hidden files (``.git``)
    are not articles and not counted.
    """
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(p for p in path.rglob("*") if p.is_file()):
            if found.suffix.lower() in ARTICLE_SUFFIXES:
                files.append(found)
            elif skipped is not None and _countable(found.relative_to(path)):
                skipped[found.suffix.lower() or "(no suffix)"] += 1
    return files


def _countable(relative: Path) -> bool:
    """A file a user may have meant as an article: not hidden, not a metadata sidecar."""
    hidden = any(part.startswith(".") for part in relative.parts)
    return not hidden and not relative.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_meta(path: Path, published: date | None, publisher: str | None,
                 url: str | None) -> ArticleMeta:
    """Metadata from ``NAME.meta.json`` beside the file, overridden by command-line flags.

    Both are checked like a POST body (web links only, bounded lengths): a ``ValueError``
    names the file or the option and the field, and the file fails with that reason.
    """
    from app.ingestion import ArticleMeta

    sidecar = path.with_name(path.stem + ".meta.json")
    data = _read_sidecar(sidecar) if sidecar.exists() else {}
    flags = _checked_metadata({"publisher": publisher, "url": url}, "option --")
    found = _checked_metadata({k: data.get(k) for k in ("title", "author", "publisher", "url")},
                              f"{sidecar.name}: ")
    when = published or (date.fromisoformat(data["published"][:10]) if data.get("published")
                         else None)
    return ArticleMeta(title=found.title, author=found.author,
                       publisher=flags.publisher or found.publisher,
                       url=flags.url or found.url, published=when)


def _read_sidecar(sidecar: Path) -> dict[str, Any]:
    """The sidecar's JSON object; ``ValueError``/``TypeError`` naming the file otherwise."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{sidecar.name}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise TypeError(f"{sidecar.name}: must be a JSON object")
    return data


def _checked_metadata(fields: dict[str, Any], source: str) -> ArticleMetadataIn:
    """``fields`` through the POST body's metadata rules; ``ValueError`` with the reason."""
    from pydantic import ValidationError

    from app.schemas import ArticleMetadataIn, metadata_errors

    try:
        return ArticleMetadataIn.model_validate(fields)
    except ValidationError as error:
        raise ValueError(f"{source}{metadata_errors(error)}") from None


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
    """Extract events from articles and store them; the same text twice is a no-op.

    Exits 1 when a file failed or when there was nothing to read.
    """
    summary = IngestSummary()
    files = collect_files(paths, summary.skipped)
    if (published or publisher or url) and len(files) != 1:
        raise typer.BadParameter("--published/--publisher/--url need exactly one file")
    if not files:
        _print_nothing_to_ingest(paths, summary)
        raise typer.Exit(1)
    when = date.fromisoformat(published) if published else None
    with _progress() as progress:
        task = progress.add_task(LOADING_MODEL, total=len(files))
        parallel = processes > 1 and len(files) > 1
        if parallel:
            _ingest_parallel(files, summary, processes, lambda: _advance(progress, task))
        for path in [] if parallel else files:
            progress.update(task, description=_stage(path, summary), refresh=True)
            _ingest_file(path, summary, published=when, publisher=publisher, url=url)
            progress.advance(task)
        progress.update(task, description="done")
    _print_summary(summary)
    if summary.failed:
        raise typer.Exit(1)


def _stage(path: Path, summary: IngestSummary) -> str:
    """The progress line for a file: the first extraction loads the model (seconds).

    Until an article has been extracted, the next file may be the one that waits for the
    language model and gazetteer, so the bar says so instead of sitting silently at 0/N.
    """
    prefix = "" if summary.extracted else f"{LOADING_MODEL}: "
    return (prefix + path.name)[:40]


def _advance(progress: Progress, task: TaskID) -> None:
    """One file done in a parallel run; the model was loaded before the first result."""
    progress.update(task, description="ingesting", advance=1)


def _ingest_file(path: Path, summary: IngestSummary, *, published: date | None,
                 publisher: str | None, url: str | None) -> None:
    """Ingest one file into its own transaction; any failure is recorded, never raised.

    One bad file must not stop a batch, and the store commits each article whole or not at
    all, so a failure here leaves nothing half-written behind.
    """
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.service import ingest_bytes
    from app.ingestion import ExtractionTimeout, UnreadableArticle, WorkerLost, check_size

    settings = get_settings()
    try:
        meta = sidecar_meta(path, published, publisher, url)
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
    _record(str(path), result, summary)


def _ingest_parallel(files: list[Path], summary: IngestSummary, processes: int,
                     advance: Callable[[], None]) -> None:
    """Many files at once: extraction in ``processes`` workers, storing here, in file order.

    Same outcome per file as ``_ingest_file`` (new, duplicate, failed with reason, not
    English); with one file or a single flag there is nothing to parallelise.
    """
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.service import ingest_many
    from app.ingest.text.read import decode
    from app.ingestion import check_size

    settings = get_settings()
    readable: list[tuple[Path, tuple[str, ArticleMeta]]] = []
    for path in files:
        try:
            check_size(path.stat().st_size, settings.max_article_bytes)
            readable.append(
                (path, (decode(path.read_bytes()), sidecar_meta(path, None, None, None))))
        except (OSError, ValueError, TypeError) as error:
            summary.failed.append((str(path), one_line(error)))
            advance()
    with Session(get_engine(settings.database_url)) as session:
        results = ingest_many(session, (item for _, item in readable),
                              processes=processes)
        for index, result in results:
            _record(str(readable[index][0]), result, summary)
            advance()


def _record(path: str, result: object, summary: IngestSummary) -> None:
    """One file's line in the summary, from its result or the error it raised."""
    from app.ingest.service import IngestResult
    from app.ingestion import ExtractionTimeout, UnreadableArticle, WorkerLost

    if isinstance(result, IngestResult):
        (summary.new if result.created else summary.duplicate).append(path)
        if not result.extracted:
            summary.not_english.append((path, result.language))
        elif result.created:
            summary.extracted += 1
        summary.events += result.events
        summary.figures += result.figures
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
                  f"failed: {len(summary.failed)}  not English: {len(summary.not_english)}; "
                  f"{summary.events} events, {summary.figures} figures",
                  soft_wrap=True)
    _print_skipped(summary.skipped)
    for path, reason in summary.failed:
        console.print(f"  failed {path}: {reason}", soft_wrap=True, markup=False)
    for path, language in summary.not_english:
        console.print(f"  not English ({language}), stored without extraction: {path}",
                      soft_wrap=True, markup=False)


def _print_skipped(skipped: Counter[str]) -> None:
    """One line for the files a folder held that are not read, most common suffix first."""
    total = sum(skipped.values())
    if not total:
        return
    kinds = ", ".join(f"{suffix} ({count})" for suffix, count in skipped.most_common())
    many = total > 1
    console.print(f"  skipped {total} file{'s' if many else ''}: {kinds} "
                  f"{'are' if many else 'is'} not read; convert {'them' if many else 'it'} "
                  "to .txt or .html", soft_wrap=True, markup=False)


def _print_nothing_to_ingest(paths: list[Path], summary: IngestSummary) -> None:
    named = " ".join(str(path) for path in paths)
    console.print(f"nothing to ingest: no .txt or .html file in {named}", soft_wrap=True,
                  markup=False)
    _print_skipped(summary.skipped)


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
    """Score extraction against gold annotations: article fields, events (EVENTS.md) and,
    for a description set, the description metrics; then every miss per article."""
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
    """Serve the API with uvicorn (docs at /docs).

    X-Forwarded-For is trusted only from FRONTWIRE_FORWARDED_ALLOW_IPS (uvicorn's own default
    trusts any local process, which could then choose its address and rate-limit bucket).
    """
    import uvicorn

    proxies = get_settings().forwarded_allow_ips.strip()
    uvicorn.run("app.main:app", host=host, port=port, workers=workers, reload=reload,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


@app.command("hash-key")
def hash_key_command(key: str = typer.Argument(..., help="The write key to hash")) -> None:
    """Print the SHA-256 digest of a write key, for FRONTWIRE_API_KEY_HASHES."""
    from app.config import hash_key

    typer.echo(f"sha256:{hash_key(key)}")


if __name__ == "__main__":
    app()

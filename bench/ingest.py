"""Ingestion throughput: frontwire end to end next to spaCy alone on the same texts.

Usage: python bench/ingest.py [--articles 300] [--processes 2] [--out bench/results.json]

The corpus is a few hundred distinct ~800-word articles made from the real seed and fixture
articles (news from several wars and outlets): consecutive articles are joined until a text
reaches 600 words (mean ~850), each pair at a different stride, so no two texts are equal and
none is skipped as a duplicate. Measured, in this order:

- spaCy alone: the pipeline's own model (``get_nlp()``) over the masked texts with
  ``nlp.pipe`` at the pipeline's batch size, in one process;
- extraction: read, parse and extract every text in one process (no database);
- ingest: the same through ``ingest_many`` into a fresh SQLite database (read, duplicate
  check, extraction, one transaction per article), with 1 and with ``--processes`` workers.

The extraction / spaCy time ratio is the pipeline's overhead beyond parsing. Results are
printed and merged into ``bench/results.json`` under ``ingest``; RESULTS.md is re-rendered.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIN_WORDS = 600


def sources() -> list[str]:
    paths = sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("tests/fixtures/*/articles/*.txt"))
    return [p.read_text(encoding="utf-8").strip() for p in paths]


def corpus(count: int) -> list[str]:
    """``count`` distinct texts of at least MIN_WORDS words, built from the real articles."""
    texts = sources()
    out: list[str] = []
    for n in range(count):
        start, stride = n % len(texts), 1 + (n // len(texts)) % (len(texts) - 1)
        parts, index = [texts[start]], start
        while sum(len(p.split()) for p in parts) < MIN_WORDS:
            index = (index + stride) % len(texts)
            parts.append(texts[index])
        out.append("\n\n".join(parts) + f"\n\n(Compilation {n})\n")
    return out


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def ingest_into_fresh_db(texts: list[str], processes: int, workdir: Path) -> dict[str, Any]:
    """Articles/s through ``ingest_many`` into a new migrated SQLite database."""
    from sqlmodel import Session

    from app.db import get_engine
    from app.ingest.service import ingest_many
    from app.migrate import upgrade

    url = f"sqlite:///{workdir / f'ingest-{processes}.db'}"
    upgrade(url)
    created = failed = events = 0
    started = time.perf_counter()
    with Session(get_engine(url)) as session:
        for _, result in ingest_many(session, ((t, None) for t in texts), processes=processes):
            if isinstance(result, Exception):
                failed += 1
            else:
                created += result.created
                events += result.events
    seconds = time.perf_counter() - started
    get_engine(url).dispose()
    return {"processes": processes, "seconds": round(seconds, 2),
            "articles_per_s": round(len(texts) / seconds, 1), "created": created,
            "failed": failed, "events": events}


def measure(count: int, processes: int) -> dict[str, Any]:
    from app.ingest.pipeline import BATCH_SIZE, get_nlp, warm_up
    from app.ingest.text import clean
    from app.ingest.text.read import read_article
    from app.ingest.worker_pool import extract_parallel

    texts = corpus(count)
    warm_up()
    nlp = get_nlp()
    articles = [read_article(t) for t in texts]
    masked = [clean.mask(a.text, list(a.skip)) for a in articles]
    spacy_s = timed(lambda: list(nlp.pipe(masked, batch_size=BATCH_SIZE)))
    extract_s = timed(lambda: list(extract_parallel(map(read_article, texts), processes=1)))
    with tempfile.TemporaryDirectory() as tmp:
        runs = [ingest_into_fresh_db(texts, n, Path(tmp)) for n in sorted({1, processes})]
    words = sum(len(t.split()) for t in texts)
    return {"articles": count, "mean_words": round(words / count), "batch_size": BATCH_SIZE,
            "spacy_alone": {"seconds": round(spacy_s, 2),
                            "articles_per_s": round(count / spacy_s, 1)},
            "extraction_1_process": {"seconds": round(extract_s, 2),
                                     "articles_per_s": round(count / extract_s, 1)},
            "overhead_vs_spacy": round(extract_s / spacy_s, 2), "ingest": runs}


def report(result: dict[str, Any]) -> list[str]:
    spacy = result["spacy_alone"]["articles_per_s"]
    extraction = result["extraction_1_process"]["articles_per_s"]
    lines = [(f"articles: {result['articles']} (mean {result['mean_words']} words), "
             f"nlp.pipe batch {result['batch_size']}"),
             f"spaCy alone (1 process):        {spacy:7.1f} articles/s",
             f"extraction (1 process):         {extraction:7.1f} articles/s",
             f"extraction / spaCy time:        {result['overhead_vs_spacy']:7.2f}x"]
    lines = [line for line in lines if line]
    for run in result["ingest"]:
        lines.append(f"ingest into SQLite, {run['processes']} process(es): "
                     f"{run['articles_per_s']:6.1f} articles/s ({run['created']} stored, "
                     f"{run['events']} events, {run['failed']} failed)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json",
                        help="results file to merge into (RESULTS.md beside it is re-rendered)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    result = measure(args.articles, args.processes)
    print("\n".join(report(result)))
    if args.no_save:
        return
    from bench.run import render, write_markdown

    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["ingest"] = result
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    if "machine" in results:
        write_markdown(args.out.with_name("RESULTS.md"), render(results))


if __name__ == "__main__":
    main()

"""Ingestion throughput: frontwire's pipeline next to spaCy alone on the same texts.

Usage: python bench/ingest.py [--repeat N]
Texts are the seed and fixture articles (repeated N times); the ratio pipeline/spaCy is
the cost of everything frontwire does beyond parsing. Figures go to stdout only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def articles() -> list[str]:
    paths = sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("tests/fixtures/*/articles/*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each article is processed")
    args = parser.parse_args()
    from app.ingest import clean
    from app.ingest.nlp import get_nlp
    from app.ingest.pipeline import extract_many, warm_up
    from app.ingest.read import read_article

    warm_up()
    texts = articles() * args.repeat
    nlp = get_nlp()
    masked = [clean.mask(c.text, list(c.skip)) for c in map(read_article, texts)]
    started = time.perf_counter()
    for _ in nlp.pipe(masked, batch_size=16):
        pass
    spacy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in extract_many((text, None) for text in texts):
        pass
    pipeline_seconds = time.perf_counter() - started
    count = len(texts)
    print(f"articles: {count}")
    print(f"spaCy alone (nlp.pipe, batch 16): {count / spacy_seconds:6.1f} articles/s")
    print(f"frontwire pipeline:               {count / pipeline_seconds:6.1f} articles/s")
    print(f"pipeline / spaCy time:            {pipeline_seconds / spacy_seconds:6.2f}x")


if __name__ == "__main__":
    main()

"""Everything extraction finds in the real articles, as one JSON file, to compare two versions.

Usage: python bench/extraction_snapshot.py OUT.json   (then ``cmp before.json after.json``)

A speed-up of an extractor must not change what it finds on real text. For every article in
``seeds/`` and ``tests/fixtures/*/articles`` this writes each extractor's own output (places,
dates, actors, figures before any event assembly) and the final draft (sentences, events with
their place, date, actors and figures; the figures kept), with sorted keys, so two runs
compare byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def article_paths() -> list[Path]:
    found = [*ROOT.glob("seeds/*"), *ROOT.glob("tests/fixtures/*/articles/*")]
    # the blind set is scored once, never looked at while code changes (its README)
    return sorted(p for p in found if p.suffix in (".txt", ".html", ".htm")
                  and "blind" not in p.parts)


def snapshot(path: Path) -> dict[str, Any]:
    """The extractors' outputs and the draft of one article, as plain data."""
    from app.ingest.actors import find_actors
    from app.ingest.dates import find_dates
    from app.ingest.figures import find_figures
    from app.ingest.pipeline import draft_from_doc, get_nlp
    from app.ingest.places import find_places
    from app.ingest.text import clean
    from app.ingest.text.doc_text import text_of
    from app.ingest.text.read import decode, read_article

    article = read_article(decode(path.read_bytes()))
    doc = get_nlp()(clean.mask(article.text, list(article.skip)))
    raw = {"places": find_places(doc), "dates": find_dates(text_of(doc), article.meta.published),
           "actors": find_actors(doc), "figures": find_figures(doc, skip=article.skip)}
    draft = draft_from_doc(article, doc)
    out = {name: [dataclasses.asdict(m) for m in found] for name, found in raw.items()}
    out["draft"] = {"sentences": [dataclasses.asdict(s) for s in draft.sentences],
                    "events": [dataclasses.asdict(e) for e in draft.events],
                    "figures": [dataclasses.asdict(f) for f in draft.figures]}
    return out


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.splitlines()[2])
    data = {str(p.relative_to(ROOT)): snapshot(p) for p in article_paths()}
    Path(sys.argv[1]).write_text(json.dumps(data, indent=1, sort_keys=True, default=str) + "\n")
    events = sum(len(a["draft"]["events"]) for a in data.values())
    figures = sum(len(a["draft"]["figures"]) for a in data.values())
    print(f"{len(data)} articles, {events} events, {figures} figures -> {sys.argv[1]}")


if __name__ == "__main__":
    main()

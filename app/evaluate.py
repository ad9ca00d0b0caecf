"""``frontwire evaluate``: ingest gold-annotated articles and score what the API serves.

Articles are ingested into a throwaway database and read back through the query layer, so
what is scored is exactly what a client would receive. The rules live in ``scoring``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlmodel import Session

from app.scoring import Accuracy, Scores, Tally, score_article


def evaluate(gold_dir: Path, articles_dir: Path,
             on_article: Callable[[str], None] | None = None,
             ) -> tuple[Scores, dict[str, Scores]]:
    """Ingest every article that has a gold file into a throwaway database and score it."""
    from app import queries
    from app.db import get_engine
    from app.ingest.service import ingest_text
    from app.migrate import upgrade

    per_article: dict[str, Scores] = {}
    total = Scores()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'evaluate.db'}"
        upgrade(url)
        with Session(get_engine(url)) as session:
            for gold_path in sorted(gold_dir.glob("*.json")):
                gold = _load(gold_path)
                raw = (articles_dir / gold["article"]).read_text(encoding="utf-8")
                result = ingest_text(session, raw)
                article, events, figures = _read_back(session, queries, result.article_id)
                scores = score_article(gold, article, events, figures)
                per_article[gold["article"]] = scores
                total.add(scores)
                if on_article is not None:
                    on_article(gold["article"])
        get_engine.cache_clear()
    return total, per_article


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _read_back(session: Session, queries, article_id: int):  # type: ignore[no-untyped-def]
    article = queries.get_article(session, article_id)
    assert article is not None
    only_this = queries.Filters(article_id=[article_id])
    events = queries.list_events(session, filters=only_this, limit=10_000).items
    figures = queries.list_figures(session, filters=only_this, limit=10_000).items
    return (article.model_dump(mode="json"), [e.model_dump(mode="json") for e in events],
            [f.model_dump(mode="json") for f in figures])


def report_lines(total: Scores, per_article: dict[str, Scores], *,
                 show_misses: bool = True) -> Iterable[str]:
    """The printed report: P/R/F1 per field, accuracies, then the misses per article."""
    yield f"{'field':<12}{'precision':>10}{'recall':>10}{'F1':>10}"
    for name in ("places", "actors", "figures"):
        tally: Tally = getattr(total, name)
        yield f"{name:<12}{tally.precision:>10.3f}{tally.recall:>10.3f}{tally.f1:>10.3f}"
    yield f"{'persons':<12}{'':>10}{total.persons.recall:>10.3f}"
    for name in ("claimant", "hedged", "unit", "counts", "dates", "published", "no_events"):
        accuracy: Accuracy = getattr(total, name)
        yield f"{name:<12}{'accuracy':>10}{accuracy.value:>10.3f}  ({accuracy.right}/{accuracy.total})"
    if not show_misses:
        return
    for article, scores in per_article.items():
        misses = [m for name in vars(scores) for m in getattr(scores, name).misses]
        if misses:
            yield f"\n{article}"
            yield from (f"  - {m}" for m in misses)

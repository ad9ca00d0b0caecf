"""``frontwire evaluate``: ingest gold-annotated articles and score what the API serves.

Articles are ingested into a throwaway database and read back through the query layer, so
what is scored is exactly what a client would receive. The rules live in ``scoring`` (article
fields), ``scoring_events`` (events, EVENTS.md) and ``scoring_descriptions`` (description sets).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlmodel import Session

from app.scoring import Accuracy, Scores, Tally, score_article
from app.scoring_descriptions import score_description
from app.scoring_events import score_events

ACCURACIES = ("claimant", "hedged", "unit", "counts", "dates", "published", "no_events")
EVENT_ACCURACIES = ("sub_event", "actor1", "actor2", "fatalities")
DESCRIPTION_METRICS = (("desc_found", "event found"), ("desc_type", "event type"),
                       ("desc_place", "place 50 km"), ("desc_country", "country"),
                       ("desc_actor1", "actor1"), ("desc_fatalities", "fatalities"),
                       ("desc_no_killed", "no killed where none died"),
                       ("no_events", "no event in a non-event"))


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
                match = score_events(gold, events, scores)
                if match is not None and gold.get("format") == "description":
                    score_description(match, figures, scores)
                per_article[gold["article"]] = scores
                total.add(scores)
                if on_article is not None:
                    on_article(gold["article"])
        get_engine.cache_clear()
    return total, per_article


def _load(path: Path) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))  # a gold file's object
    return gold


def _read_back(session: Session, queries: ModuleType, article_id: int
               ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    article = queries.get_article(session, article_id)
    assert article is not None
    only_this = queries.Filters(article_id=[article_id])
    events = queries.list_events(session, filters=only_this, limit=10_000).items
    figures = queries.list_figures(session, filters=only_this, limit=10_000).items
    return (article.model_dump(mode="json"), [e.model_dump(mode="json") for e in events],
            [f.model_dump(mode="json") for f in figures])


def report_lines(total: Scores, per_article: dict[str, Scores], *,
                 show_misses: bool = True) -> Iterable[str]:
    """The printed report: P/R/F1 per field, accuracies, the event scores (and the
    description metrics for a description set), then the misses per article."""
    yield f"{'field':<12}{'precision':>10}{'recall':>10}{'F1':>10}"
    for name in ("places", "actors", "figures"):
        yield _prf_line(name, getattr(total, name))
    yield f"{'persons':<12}{'':>10}{total.persons.recall:>10.3f}"
    yield from (_accuracy_line(name, getattr(total, name)) for name in ACCURACIES)
    yield from _event_lines(total)
    if not show_misses:
        return
    for article, scores in per_article.items():
        misses = [m for name in vars(scores) for m in getattr(scores, name).misses]
        if misses:
            yield f"\n{article}"
            yield from (f"  - {m}" for m in misses)


def _event_lines(total: Scores) -> Iterable[str]:
    if not total.events.gold and not total.events.extracted and not total.events.neutral:
        return
    events = total.events
    yield ""
    yield (f"{_prf_line('events', events)}  (matched {events.correct} of {events.gold} gold, "
           f"{events.extracted} predicted, {events.neutral} acceptable not counted)")
    yield from (_accuracy_line(name, getattr(total, name)) for name in EVENT_ACCURACIES)
    yield _accuracy_line("dated", total.dated, "share")
    if total.desc_found.total or total.desc_no_killed.total:
        yield "\ndescriptions (per gold event; no killed: per description with no death)"
        yield from (_accuracy_line(label, getattr(total, name), width=28)
                    for name, label in DESCRIPTION_METRICS)


def _prf_line(name: str, tally: Tally) -> str:
    return f"{name:<12}{tally.precision:>10.3f}{tally.recall:>10.3f}{tally.f1:>10.3f}"


def _accuracy_line(name: str, accuracy: Accuracy, kind: str = "accuracy", width: int = 12) -> str:
    return f"{name:<{width}}{kind:>10}{accuracy.value:>10.3f}  ({accuracy.right}/{accuracy.total})"

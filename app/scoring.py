"""Matching rules and tallies for scoring extraction against gold annotations.

Pure functions over the JSON the API serves and the gold files (tests/fixtures/SCHEMA.md):
a gold place is found by an extracted place of the same country within 30 km or with the
same normalised name; figures match on value or bound at the quoted position; claimant,
hedge, unit and counts are accuracies over matched figures. Events are scored in
``app.scoring_events`` (and description sets in ``app.scoring_descriptions``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from app.geodesy import haversine_km

PLACE_RADIUS_KM = 30.0
REGION_WORDS = re.compile(r"\b(oblast|region|province|governorate|district|state|prefecture|"
                          r"county|raion|krai|the)\b")
STOP = {"the", "a", "an", "of", "and", "s", "its", "his", "her", "their"}


@dataclass
class Tally:
    """Counts for precision/recall: ``correct`` of ``extracted``, ``found`` of ``gold``."""

    correct: int = 0
    extracted: int = 0
    found: int = 0
    gold: int = 0
    neutral: int = 0  # extracted but acceptable: neither right nor wrong
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.extracted += other.extracted
        self.found += other.found
        self.gold += other.gold
        self.neutral += other.neutral
        self.misses.extend(other.misses)

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def check(self, ok: bool, miss: str = "") -> None:
        """Count one case; a wrong one is listed unless ``miss`` is empty (said elsewhere)."""
        self.total += 1
        self.right += ok
        if not ok and miss:
            self.misses.append(miss)

    def add(self, other: Accuracy) -> None:
        self.right += other.right
        self.total += other.total
        self.misses.extend(other.misses)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Scores:
    places: Tally = field(default_factory=Tally)
    actors: Tally = field(default_factory=Tally)
    persons: Tally = field(default_factory=Tally)
    figures: Tally = field(default_factory=Tally)
    claimant: Accuracy = field(default_factory=Accuracy)
    hedged: Accuracy = field(default_factory=Accuracy)
    unit: Accuracy = field(default_factory=Accuracy)
    counts: Accuracy = field(default_factory=Accuracy)
    dates: Accuracy = field(default_factory=Accuracy)
    published: Accuracy = field(default_factory=Accuracy)
    no_events: Accuracy = field(default_factory=Accuracy)
    # events (app.scoring_events): matched pairs' attributes, and the share of events dated
    events: Tally = field(default_factory=Tally)
    sub_event: Accuracy = field(default_factory=Accuracy)
    actor1: Accuracy = field(default_factory=Accuracy)
    actor2: Accuracy = field(default_factory=Accuracy)
    fatalities: Accuracy = field(default_factory=Accuracy)
    dated: Accuracy = field(default_factory=Accuracy)
    # description sets (app.scoring_descriptions), per gold event; no_killed per description
    desc_found: Accuracy = field(default_factory=Accuracy)
    desc_type: Accuracy = field(default_factory=Accuracy)
    desc_place: Accuracy = field(default_factory=Accuracy)
    desc_country: Accuracy = field(default_factory=Accuracy)
    desc_actor1: Accuracy = field(default_factory=Accuracy)
    desc_fatalities: Accuracy = field(default_factory=Accuracy)
    desc_no_killed: Accuracy = field(default_factory=Accuracy)

    def add(self, other: Scores) -> None:
        for name in vars(self):
            getattr(self, name).add(getattr(other, name))


def fold(name: str | None) -> str:
    """Lower-case, no diacritics, no apostrophes or punctuation: "L’gov" -> "lgov"."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['’`ʼ]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def place_key(name: str | None) -> str:
    """A place name without generic words ("Kursk Oblast" and "Kursk region" -> "kursk")."""
    return re.sub(r"\s+", " ", REGION_WORDS.sub(" ", fold(name))).strip()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (``app.geodesy``)."""
    return haversine_km(lat1, lon1, lat2, lon2)


# ---------------------------------------------------------------- per field


def place_matches(gold: dict[str, Any], place: dict[str, Any]) -> bool:
    if place_key(gold["name"]) == place_key(place["name"]) and place_key(gold["name"]):
        return True
    if gold.get("country") != place.get("country") or place.get("lat") is None:
        return False
    if gold.get("lat") is None:
        return False
    return distance_km(gold["lat"], gold["lon"], place["lat"], place["lon"]) <= PLACE_RADIUS_KM


def score_places(gold: dict[str, Any], places: list[dict[str, Any]]) -> Tally:
    tally = Tally(gold=len(gold["places"]), extracted=len(places))
    acceptable = {place_key(n) for n in gold.get("acceptable_places", [])}
    for g in gold["places"]:
        if any(place_matches(g, p) for p in places):
            tally.found += 1
        else:
            tally.misses.append(f"place missed: {g['name']}")
    for p in places:
        if any(place_matches(g, p) for g in gold["places"]) or place_key(p["name"]) in acceptable:
            tally.correct += 1
        else:
            tally.misses.append(f"place wrong: {p['name']} ({p.get('country')})")
    return tally


def actor_key(name: str) -> str:
    """A folded actor name without a leading article ("The UN" = "UN")."""
    return re.sub(r"^the ", "", fold(name))


def _actor_names(actor: dict[str, Any]) -> set[str]:
    return {actor_key(actor["name"])} | {actor_key(a) for a in actor.get("aliases", [])}


def score_actors(gold: dict[str, Any], actors: list[dict[str, Any]], *, persons: bool) -> Tally:
    golds = [a for a in gold["actors"] if (a["kind"] == "person") == persons]
    mine = [a for a in actors if (a["kind"] == "person") == persons]
    tally = Tally(gold=len(golds), extracted=0 if persons else len(mine))
    for g in golds:
        names = _actor_names(g)
        if any(actor_key(a["name"]) in names for a in actors):
            tally.found += 1
        else:
            tally.misses.append(f"{'person' if persons else 'actor'} missed: {g['name']}")
    if not persons:
        for a in mine:
            if any(actor_key(a["name"]) in _actor_names(g) for g in gold["actors"]):
                tally.correct += 1
            else:
                tally.misses.append(f"actor wrong: {a['name']} ({a['kind']})")
    return tally


def _numbers(record: dict[str, Any]) -> set[float]:
    return {float(record[k]) for k in ("value", "low", "high") if record.get(k) is not None}


def occurrences(text: str, quote: str) -> list[int]:
    """Every offset where ``quote`` occurs (case-insensitive): a headline may repeat it."""
    lowered, needle = text.lower(), quote.lower()
    found, at = [], lowered.find(needle)
    while at >= 0 and needle:
        found.append(at)
        at = lowered.find(needle, at + 1)
    return found


def figure_matches(gold: dict[str, Any], figure: dict[str, Any], text: str) -> bool:
    """Same value or bound, and the figure lies inside (one occurrence of) the quote."""
    size = len(gold["quote"])
    if not any(figure["start"] < at + size and figure["end"] > at
               for at in occurrences(text, gold["quote"])):
        return False
    gold_numbers = _numbers(gold)
    if not gold_numbers:
        return True
    return bool(gold_numbers & _numbers(figure)) or _ranges_overlap(gold, figure)


def _ranges_overlap(gold: dict[str, Any], figure: dict[str, Any]) -> bool:
    if gold.get("value") is not None or figure.get("value") is not None:
        return False
    if None in (gold.get("low"), gold.get("high"), figure.get("low"), figure.get("high")):
        return False
    overlap: bool = gold["low"] <= figure["high"] and figure["low"] <= gold["high"]
    return overlap


def claimant_matches(gold: str | None, mine: str | None) -> bool:
    """Null only matches null; otherwise the names share a meaningful word, one is the
    other's acronym ("RSF" / "Rapid Support Forces"), or the actor dictionary gives both
    the same canonical actor ("Manila" / "Philippines")."""
    if gold is None or mine is None:
        return gold is None and mine is None
    gold_words = set(fold(gold).split()) - STOP
    mine_words = set(fold(mine).split()) - STOP
    if gold_words & mine_words or _acronym_of(gold, mine) or _acronym_of(mine, gold):
        return True
    from app.vocabulary.actors import canonical_actor

    canonical = canonical_actor(gold)
    return canonical is not None and canonical == canonical_actor(mine)


def _acronym_of(short: str, long: str) -> bool:
    initials = "".join(word[0] for word in fold(long).split() if word not in STOP)
    return len(short) >= 2 and fold(short).replace(" ", "") == initials


def score_figures(gold: dict[str, Any], figures: list[dict[str, Any]], text: str,
                  scores: Scores) -> None:
    tally = Tally(gold=len(gold["figures"]), extracted=len(figures))
    for g in gold["figures"]:
        match = next((f for f in figures if figure_matches(g, f, text)), None)
        if match is None:
            tally.misses.append(f"figure missed: {g['quote']!r}")
            continue
        tally.found += 1
        label = f"{g['quote']!r}"
        scores.claimant.check(claimant_matches(g["claimant"], match["claimant"]),
                              f"claimant {label}: gold {g['claimant']!r}, "
                              f"got {match['claimant']!r}")
        scores.hedged.check(g["hedged"] == match["hedged"],
                            f"hedged {label}: gold {g['hedged']}, got {match['hedged']}")
        scores.unit.check(g["unit"] == match["unit"],
                          f"unit {label}: gold {g['unit']}, got {match['unit']}")
        scores.counts.check(g["counts"] == match["counts"],
                            f"counts {label}: gold {g['counts']}, got {match['counts']}")
    acceptable = gold.get("acceptable_figures", [])
    for f in figures:
        if any(figure_matches(g, f, text) for g in gold["figures"] + acceptable):
            tally.correct += 1
        else:
            tally.misses.append(f"figure wrong: {f['text']!r} = {f['value']} ({f['counts']})")
    scores.figures.add(tally)


def date_label(date: dict[str, Any]) -> str | None:
    """The gold-style label of an event date: 2024-08-06, 2024-W32, 2024-08, 2024."""
    start: str | None = date.get("start")
    precision = date.get("precision")
    if start is None:
        return None
    if precision == "week":
        from datetime import date as date_type

        year, week, _ = date_type.fromisoformat(start).isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": start, "month": start[:7], "year": start[:4]}.get(precision or "", start)


def score_dates(gold: dict[str, Any], events: list[dict[str, Any]], text: str) -> Accuracy:
    accuracy = Accuracy()
    for g in gold.get("dates", []):
        positions = occurrences(text, g["text"])
        labels = [date_label(e["date"]) for e in events
                  if any(e["excerpt"]["start"] <= at < e["excerpt"]["end"] for at in positions)]
        accuracy.check(g["date"] in labels,
                       f"date {g['text']!r}: gold {g['date']}, got {labels or 'no event'}")
    return accuracy


def score_article(gold: dict[str, Any], article: dict[str, Any], events: list[dict[str, Any]],
                  figures: list[dict[str, Any]]) -> Scores:
    """All scores for one article, from the records the API serves."""
    scores = Scores()
    text = article["text"]
    places = list({p["id"]: p for e in events if (p := e.get("place"))}.values())
    actors = list({a["id"]: a for e in events for a in e["actors"]}.values())
    scores.places = score_places(gold, places) if gold["has_conflict_events"] else Tally()
    scores.actors = score_actors(gold, actors, persons=False)
    scores.persons = score_actors(gold, actors, persons=True)
    score_figures(gold, figures, text, scores)
    scores.dates = score_dates(gold, events, text)
    published = article.get("published")
    scores.published.check(published == gold["published"],
                           f"published: gold {gold['published']}, got {published}")
    if not gold["has_conflict_events"]:
        scores.no_events.check(not events, f"{len(events)} events in a non-conflict article")
    return scores

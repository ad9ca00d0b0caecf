"""The event taxonomy and its cue words, loaded from ``data/event_types.csv``.

Each of our types maps to the nearest ACLED event and sub-event type so ACLED users can
join and compare. Cues are matched on word boundaries against a sentence's lower-cased text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.ingest.knowledge import rows
from app.vocabulary.files import rows as vocabulary_rows


@dataclass(frozen=True)
class EventType:
    name: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    priority: int
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def event_types() -> tuple[EventType, ...]:
    """All types, highest priority first."""
    types = [
        EventType(
            name=row["type"],
            acled_event_type=row["acled_event_type"] or None,
            acled_sub_event_type=row["acled_sub_event_type"] or None,
            priority=int(row["priority"]),
            pattern=_cue_pattern(row["cues"].split("|")),
        )
        for row in vocabulary_rows("event_types.csv")
    ]
    return tuple(sorted(types, key=lambda t: -t.priority))


@lru_cache(maxsize=2)
def conflict_cue_pattern(strength: str = "strong") -> re.Pattern[str]:
    """Words that mark conflict reporting (``data/conflict_cues.csv``), strong or weak.

    Strong cues (kill, troops, missile) are rarely metaphorical; weak ones (war, offensive,
    fight, front line) fill sports and business pages too.
    """
    cues = [row["cue"] for row in rows("events/data/conflict_cues.csv") if row["strength"] == strength]
    return _cue_pattern(cues)


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(c.strip().lower()) for c in cues if c.strip()), key=len,
                          reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def classify(sentence: str, lemmas: str = "") -> EventType | None:
    """The highest-priority type whose cues occur in ``sentence`` or in its lemmas.

    Cues are written in their base form ("attack", "seize"); matching the lemmas as well
    catches "attacking" and "seized" without listing every inflection.
    """
    lowered = sentence.lower()
    return next((t for t in event_types()
                 if t.pattern.search(lowered) or (lemmas and t.pattern.search(lemmas))), None)


def by_name(name: str) -> EventType:
    """The taxonomy entry called ``name`` (``other`` when unknown)."""
    for event_type in event_types():
        if event_type.name == name:
            return event_type
    return EventType("other", None, None, 0, re.compile(r"$^"))

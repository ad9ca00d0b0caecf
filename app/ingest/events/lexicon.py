"""The event stage's knowledge files (``events/data/*.csv``), each read once.

Every rule about what counts as an event lives in these files with a source note per row:
trigger words and phrases per type, the taxonomy onto ACLED's categories, weapons that refine
a type, target nouns that tell civilians from forces, and the cues of what is not an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from app.ingest import knowledge


def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``events/data/<name>`` keyed by the header (read once)."""
    return knowledge.rows(f"events/data/{name}")


@dataclass(frozen=True)
class TriggerRow:
    """One trigger: lemmas of a word or phrase, the part of speech it needs, its type and
    conditions (``armed``, ``refine``, ``place_obj``, ``weapon_obj``, ``with:a|b``)."""

    lemmas: tuple[str, ...]
    pos: str
    type: str
    armed: bool
    refine: bool
    place_obj: bool
    weapon_obj: bool
    needs: frozenset[str]


def _trigger(row: dict[str, str]) -> TriggerRow:
    cues = [c.strip() for c in row["cues"].split("|") if c.strip()]
    needs = frozenset(w for c in row["cues"].split("with:")[1:] for w in c.split("|"))
    return TriggerRow(tuple(re.findall(r"[^\s-]+|-", row["phrase"].lower())),
                      row["pos"], row["type"],
                      "armed" in cues, "refine" in cues, "place_obj" in cues,
                      "weapon_obj" in cues, frozenset(w.strip() for w in needs if w.strip()))


@cache
def triggers() -> tuple[TriggerRow, ...]:
    """Every trigger row, longest phrase first (so "drone strike" wins over "strike")."""
    found = [_trigger(r) for r in rows("triggers.csv")]
    return tuple(sorted(found, key=lambda t: -len(t.lemmas)))


@cache
def triggers_by_first() -> dict[str, tuple[TriggerRow, ...]]:
    """First lemma -> the triggers starting with it, longest first: one lookup per token."""
    table: dict[str, list[TriggerRow]] = {}
    for row in triggers():
        table.setdefault(row.lemmas[0], []).append(row)
    return {k: tuple(v) for k, v in table.items()}


@cache
def phrases(name: str, key: str, value: str) -> dict[tuple[str, ...], str]:
    """Lemma tuple -> value for the phrase column ``key`` of ``name`` (weapons, targets)."""
    return {tuple(r[key].lower().split()): r[value] for r in rows(name)}


@cache
def cues(kind: str) -> frozenset[str]:
    """The non-event cues of one kind (reaction, future, cumulative, disaster, sport ...)."""
    return frozenset(r["cue"].lower() for r in rows("non_event_cues.csv") if r["kind"] == kind)


@cache
def conflict_cues(strength: str) -> frozenset[str]:
    """Words of conflict reporting (``conflict_cues.csv``), strong or weak."""
    return frozenset(r["cue"].lower() for r in rows("conflict_cues.csv")
                     if r["strength"] == strength)

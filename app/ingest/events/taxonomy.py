"""Our event types and the ACLED 2023 event and sub-event type each maps to.

Loaded from ``app/vocabulary/data/event_types.csv`` (the API validates types against the
same file). ``family`` groups the types that can report the same
occurrence (merging compares families); ``specificity`` ranks them when frames merge: a drone
strike beats a generic attack, a capture beats a clash.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.vocabulary.files import rows

GENERIC = "attack"  # the generic violent type: merges with any battle, remote or violent one
VIOLENT_FAMILIES = frozenset({"battle", "remote", "violence"})


@dataclass(frozen=True)
class EventType:
    name: str
    acled_event_type: str
    acled_sub_event_type: str
    family: str
    specificity: int


@cache
def event_types() -> dict[str, EventType]:
    """Type name -> its entry, in file order."""
    return {r["type"]: EventType(r["type"], r["acled_event_type"], r["acled_sub_event_type"],
                                 r["family"], int(r["specificity"]))
            for r in rows("event_types.csv")}


def by_name(name: str) -> EventType:
    """The entry called ``name`` (KeyError on an unknown type: the data files disagree)."""
    return event_types()[name]


def compatible(a: str, b: str) -> bool:
    """Two types can report one occurrence: same family, or one is the generic attack and
    the other violent (a killing told beside the strike that caused it)."""
    x, y = by_name(a), by_name(b)
    if x.family == y.family:
        return True
    return GENERIC in (a, b) and x.family in VIOLENT_FAMILIES and y.family in VIOLENT_FAMILIES


def best(a: str, b: str) -> str:
    """The more specific of two types (the first on ties)."""
    return b if by_name(b).specificity > by_name(a).specificity else a

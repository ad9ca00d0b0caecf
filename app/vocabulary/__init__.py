"""The closed vocabularies of the records (counts, units, kinds, event types), from data files.

Filters validate against these so a typo answers 422 listing what is accepted instead of an
empty page, and ``/v1/meta`` publishes them. Event types come from the extraction taxonomy
itself (``app/vocabulary/data/event_types.csv``), so the API can never accept a type the
pipeline does not produce. Reading CSVs is cheap: the API still never loads the pipeline.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from app.vocabulary.files import rows as knowledge_rows

DATA_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.csv"


def _event_rows() -> tuple[dict[str, str], ...]:
    return knowledge_rows("event_types.csv")


@cache
def _entries() -> tuple[dict[str, str], ...]:
    with open(DATA_FILE, newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def values(field: str) -> tuple[str, ...]:
    """The accepted values of ``field`` (counts, unit, acled_event_type, place_kind, ...)."""
    if field == "type":
        return tuple(sorted({row["type"] for row in _event_rows()}
                            | {"other"}))
    return tuple(row["value"] for row in _entries() if row["field"] == field)


def described(field: str) -> dict[str, str]:
    """``value -> description`` for ``field``, for the API's meta document."""
    return {row["value"]: row["description"] for row in _entries() if row["field"] == field}


@cache
def event_taxonomy() -> tuple[dict[str, str], ...]:
    """Our event types with the ACLED event and sub-event type each maps to."""
    seen: dict[str, dict[str, str]] = {}
    for row in _event_rows():
        seen.setdefault(row["type"], {"type": row["type"],
                                      "acled_event_type": row["acled_event_type"],
                                      "acled_sub_event_type": row["acled_sub_event_type"],
                                      "description": row["note"]})
    seen.setdefault("other", {"type": "other", "acled_event_type": "",
                              "acled_sub_event_type": "", "description": "anything else"})
    return tuple(seen.values())

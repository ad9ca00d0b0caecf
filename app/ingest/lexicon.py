"""Word lists more than one extraction stage reads: place cue words, demonyms, the stoplist.

The place stage, the metonymy check ("Kyiv said" is a government, "struck Kyiv" a place) and
the gazetteer's ruler patterns all read these, so they sit below all three (``data/``).
"""

from __future__ import annotations

from functools import lru_cache

from app.ingest.knowledge import rows
from app.ingest.text.keys import fold


@lru_cache(maxsize=1)
def _place_cues() -> dict[str, frozenset[str]]:
    """role -> words, from data/place_cues.csv (connectors, cue words, region words...)."""
    table: dict[str, set[str]] = {}
    for row in rows("data/place_cues.csv"):  # case kept: connectors such as "al" vs "Al"
        table.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(words) for role, words in table.items()}


def cue(role: str) -> frozenset[str]:
    """The cue words of one role (see data/place_cues.csv)."""
    return _place_cues()[role]


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Folded words that collide with GeoNames names but are rarely places in news."""
    return frozenset(fold(row["word"]) for row in rows("data/place_stoplist.csv"))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym (lowercase) -> ISO country, for 'Russian villages' and country context."""
    return {row["demonym"].lower(): row["country"] for row in rows("data/place_demonyms.csv")}

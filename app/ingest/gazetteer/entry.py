"""The gazetteer's record: what the index builder writes and every lookup returns."""

from __future__ import annotations

from typing import NamedTuple

KINDS = ("settlement", "country", "admin1", "facility", "border_crossing", "area")


class Entry(NamedTuple):
    """One gazetteer record; ``population`` only ranks candidates."""

    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    geonames_id: int | None = None
    curated: bool = False

"""The places an article resolved unambiguously, indexed by position on the globe.

An ambiguous name is scored by how near it lies to the article's anchors: within 60, 200 or
500 km of the nearest one (other than the name itself) earns a bonus of 3, 2 or 1. Measuring
every candidate against every anchor was quadratic in the article (10,000 short lines naming
towns took minutes). Anchors sit in three grids over the unit sphere whose cells are as wide
as the chord of 60, 200 and 500 km, so the anchors within a threshold of a point all lie in
the 27 cells around it; the distances themselves are the same haversine as before, so the
bonus is exactly what the scan over all anchors gave.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from app.geodesy import EARTH_RADIUS_KM, haversine_km
from app.ingest.gazetteer import Entry

EARTH_DIAMETER_KM = 2 * EARTH_RADIUS_KM
BONUS = ((60.0, 3.0), (200.0, 2.0), (500.0, 1.0))  # nearer than km -> bonus
Cell = tuple[int, int, int]


def km(a: Entry, b: Entry) -> float:
    """Great-circle distance (haversine); a missing coordinate counts as 0."""
    return haversine_km(a.lat or 0, a.lon or 0, b.lat or 0, b.lon or 0)


def _unit(entry: Entry) -> tuple[float, float, float]:
    lat, lon = math.radians(entry.lat or 0), math.radians(entry.lon or 0)
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


def _cell_size(limit_km: float) -> float:
    """A little over the chord of ``limit_km``: points nearer than that are in adjacent cells."""
    return 2 * math.sin(limit_km / EARTH_DIAMETER_KM) * 1.01


class Anchors:
    """(name key, entry) pairs with "the bonus of the nearest anchor of another name"."""

    def __init__(self) -> None:
        self._sizes = [_cell_size(limit) for limit, _ in BONUS]
        self._grids: list[dict[Cell, list[tuple[str, Entry]]]] = [{} for _ in BONUS]
        self._seen: set[tuple[str, float | None, float | None]] = set()

    def add(self, key: str, entry: Entry) -> None:
        """Index an anchor (the same name at the same point once: it adds no new distance)."""
        if (key, entry.lat, entry.lon) in self._seen:
            return
        self._seen.add((key, entry.lat, entry.lon))
        point = _unit(entry)
        for size, grid in zip(self._sizes, self._grids, strict=True):
            grid.setdefault(_cell(point, size), []).append((key, entry))

    def bonus(self, entry: Entry, key: str) -> float:
        """3, 2, 1 or 0 by the distance to the nearest anchor whose key is not ``key``."""
        if entry.lat is None:
            return 0.0
        point = _unit(entry)
        for (limit, bonus), size, grid in zip(BONUS, self._sizes, self._grids, strict=True):
            for other_key, other in _around(grid, _cell(point, size)):
                if other_key != key and km(entry, other) < limit:
                    return bonus
        return 0.0


def _cell(point: tuple[float, float, float], size: float) -> Cell:
    x, y, z = point
    return math.floor(x / size), math.floor(y / size), math.floor(z / size)


def _around(grid: dict[Cell, list[tuple[str, Entry]]], cell: Cell) -> Iterator[tuple[str, Entry]]:
    x, y, z = cell
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dz in (-1, 0, 1):
                yield from grid.get((x + dx, y + dy, z + dz), ())

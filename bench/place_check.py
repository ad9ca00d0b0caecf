"""Place check: the gold places of a fixture set against the places frontwire finds in the text.

The event-level place metrics of ``frontwire evaluate`` depend on the event stage (which
event gets which place); this script measures the place stage alone. For every gold event
place (and, with ``--all``, every gold ``places`` row) it asks: did frontwire find a place
within 50 km of it (for a gold place coded at admin1 or country level: one in that admin1 or
country), and one in its country? It also lists every found place in a country that no gold
place of the article is in (a namesake abroad: "God" -> Göd, Hungary).

    PYTHONPATH=. .venv/bin/python bench/place_check.py tests/fixtures/descriptions/gold \
        tests/fixtures/descriptions/articles [-v]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from app.ingest.pipeline import get_nlp
from app.ingest.places import find_places
from app.ingest.text import clean
from app.ingest.text.read import read_article
from app.ingest.types import PlaceMention

NEAR_KM = 50.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2, d1, d2 = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    h = math.sin(d1 / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d2 / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def near(gold: dict, found: PlaceMention) -> bool:
    """Within 50 km of a gold point, or in the gold admin1/country for a coarse gold place."""
    precision = gold.get("precision", "settlement")
    if precision == "country" or gold.get("lat") is None:
        return found.country == gold.get("country")
    if precision == "admin1" and gold.get("admin1") and found.country == gold.get(
            "country") and found.admin1 == gold.get("admin1"):
        return True
    if found.lat is None or found.lon is None:
        return False
    return km(gold["lat"], gold["lon"], found.lat, found.lon) <= NEAR_KM


def gold_places(record: dict, everything: bool) -> list[dict]:
    """The gold event places (and the article's place list with ``everything``)."""
    out = [e["place"] for e in record.get("events", []) if e.get("place")]
    return out + (record.get("places", []) if everything or not out else [])


def check(gold_dir: Path, articles: Path, everything: bool, verbose: bool) -> None:
    nlp = get_nlp()
    totals = {"gold": 0, "near": 0, "country": 0, "found": 0, "abroad": 0}
    for path in sorted(gold_dir.glob("*.json")):
        record = json.loads(path.read_text())
        raw = (articles / record["article"]).read_text()
        article = read_article(raw)
        doc = nlp(clean.mask(article.text, list(article.skip)))
        found = find_places(doc)
        golds = gold_places(record, everything)
        countries = {g.get("country") for g in golds + record.get("places", [])}
        misses = []
        for gold in golds:
            totals["gold"] += 1
            hit_near = any(near(gold, f) for f in found)
            hit_country = any(f.country == gold.get("country") for f in found)
            totals["near"] += hit_near
            totals["country"] += hit_country
            if not hit_near:
                misses.append(f"{gold['name']} ({gold.get('country')})")
        abroad = [f"{f.span.text}->{f.name} ({f.country})" for f in found
                  if f.country and f.country not in countries]
        totals["found"] += len(found)
        totals["abroad"] += len(abroad)
        if verbose and (misses or abroad):
            got = "; ".join(f"{f.span.text}->{f.name} ({f.country})" for f in found)
            print(f"{path.stem}: missed {misses} abroad {abroad}\n    found: {got}")
    n = max(totals["gold"], 1)
    print(f"gold places {totals['gold']}: within 50 km {totals['near'] / n:.3f}, "
          f"country {totals['country'] / n:.3f}; found {totals['found']}, "
          f"abroad {totals['abroad']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("--all", action="store_true", help="also every gold places row")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    check(args.gold, args.articles, args.all, args.verbose)


if __name__ == "__main__":
    main()

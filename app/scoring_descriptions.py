"""The description-set metrics of issue 13, for short analyst-style event descriptions.

A description (gold ``"format": "description"``) reports one occurrence, or none. Each gold
event is judged on the event frontwire gives for it: its matched event when there is one,
else the closest event of the description (same type first, then place, then country, then
date). The metrics: an event found at all, the right event type, the place (50 km, or the same
admin1 / country when the gold is only that precise), the right country, actor1 and
fatalities exact; and, per description where nobody died, no killed figure or fatality.
"""

from __future__ import annotations

from typing import Any

from app.scoring import Scores
from app.scoring_events import (
    ABSENT,
    EVENT_RADIUS_KM,
    KILLED_COUNTS,
    EventMatch,
    EventView,
    admin1_of,
    dates_overlap,
    place_km,
    place_level,
    same_actor,
    same_fatalities,
)


def description_place(gold: dict[str, Any] | None, mine: dict[str, Any] | None) -> bool:
    """Stricter than matching: a coarse prediction does not pass for a precise gold place."""
    if gold is None:
        return True
    if mine is None:
        return False
    level = place_level(gold)
    if level == "country":
        return gold.get("country") == mine.get("country")
    if level == "admin1":
        return gold.get("country") == mine.get("country") and admin1_of(gold) == admin1_of(mine)
    if place_level(mine) in ("country", "admin1"):
        return False
    km = place_km(gold, mine)
    return km is not None and km <= EVENT_RADIUS_KM


def _country(place: dict[str, Any] | None) -> str | None:
    return place.get("country") if place else None


def closest(gold: EventView, mine: list[EventView]) -> EventView | None:
    """The description's event that comes nearest to the gold one (first on ties)."""
    def rank(event: EventView) -> tuple[bool, ...]:
        return (event.event_type == gold.event_type, description_place(gold.place, event.place),
                _country(event.place) == _country(gold.place), dates_overlap(gold, event))

    return max(mine, key=rank, default=None)


def score_description(match: EventMatch, figures: list[dict[str, Any]], scores: Scores) -> None:
    """Add one description's metrics to ``scores``."""
    golds, mine, matched, aliases = match.golds, match.mine, match.matched, match.aliases
    for gi, g in enumerate(golds):
        event = mine[matched[gi]] if gi in matched else closest(g, mine)
        label = f"{g.event_type}: {g.text[:70]!r}"
        scores.desc_found.check(event is not None, f"no event for {label}")
        if event is None:
            for name in ("type", "place", "country", "actor1", "fatalities"):
                getattr(scores, f"desc_{name}").check(False)  # the miss is said once, above
            continue
        scores.desc_type.check(event.event_type == g.event_type,
                               f"type: gold {g.event_type}, got {event.event_type}")
        scores.desc_place.check(description_place(g.place, event.place),
                                f"place: gold {_name(g.place)}, got {_name(event.place)}")
        scores.desc_country.check(g.place is None or _country(event.place) == _country(g.place),
                                  f"country: gold {_country(g.place)}, got {_country(event.place)}")
        said = gi in matched  # a matched pair's actor1 and fatalities misses are listed already
        scores.desc_actor1.check(same_actor(g.actor1, event.actor1, aliases),
                                 "" if said else f"actor1: gold {g.actor1}, got {event.actor1}")
        scores.desc_fatalities.check(
            same_fatalities(g.fatalities, event.fatalities),
            "" if said else f"fatalities: gold {g.fatalities}, got {event.fatalities}")
    if not any(e.fatalities for e in golds):
        killed = _killed(mine, figures)
        scores.desc_no_killed.check(not killed, f"killed where none died: {killed}")


def _killed(mine: list[EventView], figures: list[dict[str, Any]]) -> list[str]:
    """Deaths the API reports: killed figures (other than zero) and event fatalities."""
    found = [f["text"] for f in figures
             if f.get("counts") in KILLED_COUNTS and f.get("value") != 0]
    found += [f"fatalities {e.fatalities}" for e in mine
              if e.fatalities not in (None, 0, ABSENT)]
    return found


def _name(place: dict[str, Any] | None) -> str:
    return f"{place.get('name')} ({place.get('country')})" if place else "none"

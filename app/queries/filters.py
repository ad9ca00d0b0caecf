"""One filter model for every list, export and aggregation, turned into SQL conditions.

Events and figures share the filters: a figure is filtered by its event's place, date and
actors, and an event by its figures (``counts=killed&min_value=100`` finds the events that
carry such a claim). Every value is matched exactly (any case for names), never as a
substring, so ``country=ML`` never finds Somalia and ``actor=Ukr`` finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import Actor, Event, EventActor, Figure, Place
from app.queries.geo import BBox, Near, bbox_condition, place_ids_near
from app.queries.search import text_matches
from app.vocabulary.actors import actor_rows

ID_TEXT = re.compile(r"[0-9]{1,9}")  # ids are 32-bit INTEGER columns
DENSE_LINKS = 10_000  # an actor in at least this many events is tested per event (EXISTS)
EVENT_SIDE = ("country", "admin1", "place", "actor", "type", "acled_event_type", "date_from",
              "date_to", "bbox", "near", "fatalities_min", "incident_id")
FIGURE_SIDE = ("counts", "unit", "claimant", "hedged", "min_value", "max_value", "scope")


@dataclass(frozen=True)
class Filters:
    """Every filter; an empty sequence or None means no constraint. Repeated values OR."""

    article_id: Sequence[int] = ()
    event_id: Sequence[int] = ()
    country: Sequence[str] = ()
    admin1: Sequence[str] = ()
    place: Sequence[str] = ()
    actor: Sequence[str] = ()
    type: Sequence[str] = ()
    acled_event_type: Sequence[str] = ()
    counts: Sequence[str] = ()
    unit: Sequence[str] = ()
    claimant: Sequence[str] = ()
    scope: Sequence[str] = ()
    incident_id: Sequence[int] = ()
    fatalities_min: int | None = None
    include_background: bool = False
    hedged: bool | None = None
    min_value: float | None = None
    max_value: float | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_undated: bool = False
    q: str | None = None
    bbox: BBox | None = None
    near: Near | None = None
    updated_since: datetime | None = None

    def any_of(self, names: Sequence[str]) -> bool:
        return any(_is_set(getattr(self, name)) for name in names)

    def only(self, names: Sequence[str]) -> Filters:
        """These filters with every field outside ``names`` cleared."""
        kept = {f.name: getattr(self, f.name) for f in fields(self) if f.name in names}
        return Filters(**kept, include_undated=self.include_undated,
                       include_background=self.include_background)


def _is_set(value: object) -> bool:
    return value is not None and not (isinstance(value, list | tuple) and not value)


def event_conditions(session: Session, filters: Filters) -> list[Any]:
    """Conditions on ``event`` rows: their own columns, then their figures'.

    Background events (recalled from more than 30 days before publication) are left out
    unless ``include_background``: a list or a count of events is of occurrences reported.
    One article's own events (``article_id``) keep them: that list is what the article says,
    the way its text view shows it, and each is marked ``background: true``.
    """
    conditions = _own(session, Event, filters)
    if filters.event_id:
        conditions.append(col(Event.id).in_(filters.event_id))
    if not (filters.include_background or filters.article_id):
        conditions.append(_reported_only())
    conditions += _event_side(session, filters)
    if filters.any_of(FIGURE_SIDE):
        conditions.append(col(Event.id).in_(
            select(Figure.event_id).where(*_figure_side(filters))))
    return conditions


def counted_figures(filters: Filters) -> list[Any]:
    """What sums and stats add up, besides the filters (``event`` joined to ``figure``):
    only figures about the occurrence itself (scope ``event``) unless a ``scope`` is asked,
    and only those of events reported, not recalled, unless ``include_background``."""
    conditions: list[Any] = []
    if not filters.scope:
        conditions.append(col(Figure.scope) == "event")
    if not filters.include_background:
        conditions.append(col(Event.background).is_(False))
    return conditions


def _reported_only() -> Any:
    """Events not recalled as background, as ``id NOT IN (the background events)``.

    ``background IS false`` would read every candidate row: a count or a breakdown that
    an index answered alone (country, date) took 2.6 times as long at 200k events. The
    background events are few and indexed, and every index carries the id.
    """
    recalled = Event.__table__.alias("recalled")  # type: ignore[attr-defined]
    return col(Event.id).not_in(select(recalled.c.id).where(recalled.c.background.is_(True)))


def figure_conditions(session: Session, filters: Filters) -> list[Any]:
    """Conditions on ``figure`` rows: their own columns, then their event's."""
    conditions = _own(session, Figure, filters)
    if filters.event_id:
        conditions.append(col(Figure.event_id).in_(filters.event_id))
    conditions += _figure_side(filters)
    if filters.any_of(EVENT_SIDE):
        conditions.append(col(Figure.event_id).in_(
            select(Event.id).where(*_event_side(session, filters))))
    return conditions


def _own(session: Session, model: type[Event | Figure], filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    if filters.article_id:
        conditions.append(col(model.article_id).in_(filters.article_id))
    if filters.updated_since is not None:
        conditions.append(col(model.updated_at) >= filters.updated_since)
    if filters.q:
        conditions.append(text_matches(model, filters.q, session.get_bind().dialect.name))
    return conditions


def _event_side(session: Session, filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    for column, values in ((Event.type, filters.type),
                           (Event.acled_event_type, filters.acled_event_type),
                           (Event.incident_id, filters.incident_id)):
        if values:
            conditions.append(col(column).in_(values))
    if filters.fatalities_min is not None:
        conditions.append(col(Event.fatalities) >= filters.fatalities_min)
    if filters.country:
        conditions.append(col(Event.country).in_([c.upper() for c in filters.country]))
    places = _place_conditions(session, filters)
    if places:
        conditions.append(col(Event.place_id).in_(select(Place.id).where(*places)))
    if filters.actor:
        conditions.append(_actor_condition(session, filters.actor))
    conditions += _date_conditions(filters)
    return conditions


def _actor_condition(session: Session, values: Sequence[str]) -> Any:
    """Events with any of these actors, in the form that pages fastest.

    ``id IN (links)`` makes SQLite build the whole list of the actor's events before the
    first row: cheap for a rare actor, 46 ms at 1M events for one in a quarter of them. A
    common actor is therefore tested per event (``EXISTS``, one index probe each), so a page
    in id order stops after ``limit`` rows. Both forms select the same events; one capped
    count over the (actor_id, event_id) index decides.
    """
    ids = actor_ids(values)
    links = select(EventActor.event_id).where(col(EventActor.actor_id).in_(ids))
    common = session.exec(select(func.count()).select_from(
        links.limit(DENSE_LINKS).subquery())).one() >= DENSE_LINKS
    if not common:
        return col(Event.id).in_(links)
    link = aliased(EventActor, name="actor_link")
    return exists().where(col(link.event_id) == col(Event.id),
                          col(link.actor_id).in_(ids)).correlate(Event)


def _place_conditions(session: Session, filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    if filters.place:
        ids, names = _ids_and_names(filters.place)
        conditions.append(or_(col(Place.id).in_(ids), func.lower(Place.name).in_(names)))
    if filters.admin1:
        conditions.append(func.lower(Place.admin1).in_([a.lower() for a in filters.admin1]))
    if filters.bbox is not None:
        conditions.append(bbox_condition(filters.bbox))
    if filters.near is not None:
        conditions.append(col(Place.id).in_(place_ids_near(session, filters.near)))
    return conditions


def _date_conditions(filters: Filters) -> list[Any]:
    """Overlap of the event's [start, end] with [date_from, date_to]; undated only if asked."""
    if filters.date_from is None and filters.date_to is None:
        return []
    overlap = []
    if filters.date_from is not None:
        overlap.append(col(Event.date_end) >= filters.date_from)
    if filters.date_to is not None:
        overlap.append(col(Event.date_start) <= filters.date_to)
    if filters.include_undated:
        return [or_(col(Event.date_start).is_(None), and_(*overlap))]
    return overlap


def _figure_side(filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    for column, values in ((Figure.counts, filters.counts), (Figure.unit, filters.unit),
                           (Figure.scope, filters.scope)):
        if values:
            conditions.append(col(column).in_(values))
    if filters.claimant:
        _, names = _ids_and_names(filters.claimant)
        conditions.append(or_(func.lower(Figure.claimant).in_(names),
                              col(Figure.claimant_actor_id).in_(actor_ids(filters.claimant))))
    if filters.hedged is not None:
        conditions.append(col(Figure.hedged).is_(filters.hedged))
    if filters.min_value is not None:
        conditions.append(func.coalesce(Figure.value, Figure.high, Figure.low) >= filters.min_value)
    if filters.max_value is not None:
        conditions.append(func.coalesce(Figure.value, Figure.low, Figure.high) <= filters.max_value)
    return conditions


def actor_ids(values: Sequence[str]) -> Any:
    """Actors named (any case), known by an alias in the actor dictionary, or given by id."""
    ids, names = _ids_and_names(values)
    canonical = [alias_names().get(name, name) for name in names]
    return select(Actor.id).where(or_(col(Actor.id).in_(ids),
                                      func.lower(Actor.name).in_(canonical)))


@cache
def alias_names() -> dict[str, str]:
    """Lower-cased alias -> lower-cased canonical name, from the curated actor dictionary."""
    table: dict[str, str] = {}
    for row in actor_rows():
        for alias in row.aliases:
            table.setdefault(alias.lower(), row.name.lower())
    return table


def _ids_and_names(values: Sequence[str]) -> tuple[list[int], list[str]]:
    """Split "name or id" values: ids are plain ASCII digits that fit an INTEGER column."""
    stripped = [v.strip() for v in values]
    ids = [int(v) for v in stripped if ID_TEXT.fullmatch(v)]
    names = [v.lower() for v in stripped if not ID_TEXT.fullmatch(v)]
    return ids, names

"""Places and actors as stored, each with the number of events it appears in."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from app.models import Actor, Event, EventActor, Place
from app.queries.paging import PageResult, keyset_page
from app.schemas import ActorCount, PlaceCount


def list_places(session: Session, *, q: str | None, country: Sequence[str], limit: int,
                cursor: str | None = None, kind: Sequence[str] = (),
                count: bool = False) -> PageResult:
    """Places with their event counts; ``q`` matches the start of the name, any case."""
    counts = (select(Event.place_id, func.count().label("events"))
              .group_by(col(Event.place_id)).subquery())
    base = select(Place, counts.c.events).join(counts, counts.c.place_id == Place.id)
    if q:
        base = base.where(func.lower(Place.name).startswith(q.lower(), autoescape=True))
    if country:
        base = base.where(col(Place.country).in_([c.upper() for c in country]))
    if kind:
        base = base.where(col(Place.kind).in_(kind))
    return keyset_page(session, base, col(Place.id), limit=limit, cursor=cursor, count=count,
                       build=lambda rows: [PlaceCount(**place.model_dump(), events=events)
                                         for place, events in rows],
                       row_id=lambda row: row[0].id)


def list_actors(session: Session, *, q: str | None, kind: Sequence[str], limit: int,
                cursor: str | None = None, count: bool = False) -> PageResult:
    """Actors with the number of events they take part in."""
    counts = (select(EventActor.actor_id, func.count(func.distinct(EventActor.event_id))
                     .label("events")).group_by(col(EventActor.actor_id)).subquery())
    base = select(Actor, counts.c.events).join(counts, counts.c.actor_id == Actor.id)
    if q:
        base = base.where(func.lower(Actor.name).startswith(q.lower(), autoescape=True))
    if kind:
        base = base.where(col(Actor.kind).in_(kind))
    return keyset_page(session, base, col(Actor.id), limit=limit, cursor=cursor, count=count,
                       build=lambda rows: [ActorCount(**actor.model_dump(), events=events)
                                         for actor, events in rows],
                       row_id=lambda row: row[0].id)

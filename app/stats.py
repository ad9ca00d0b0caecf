"""Aggregations for dashboards: counts per period and per dimension, over filtered events.

Kept apart from ``queries`` (record lists) because these answer with groups, not records;
both build on the same filter conditions, so a dashboard's numbers always agree with the
lists it links to.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Actor, Event, EventActor, Figure, Place, SQLModel
from app.queries import EventFilters, event_conditions


class Bucket(SQLModel):
    key: str
    events: int
    figures: int = 0
    figure_sum: float | None = None


def period_start(day: date, interval: str) -> date:
    """The first day of the day/ISO week/month that ``day`` falls in."""
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def timeline(session: Session, *, filters: EventFilters, interval: str) -> list[Bucket]:
    """Dated events per period (by their start day), oldest first."""
    rows = session.exec(select(Event.date_start, func.count()).where(
        *event_conditions(filters), col(Event.date_start).is_not(None))
        .group_by(col(Event.date_start))).all()
    counts: Counter[date] = Counter()
    for day, count in rows:
        counts[period_start(day, interval)] += count
    return [Bucket(key=day.isoformat(), events=count) for day, count in sorted(counts.items())]


def by_dimension(session: Session, *, filters: EventFilters, dimension: str,
                 limit: int) -> list[Bucket]:
    """Event counts (and, for ``counts``, figure sums) per value of ``dimension``."""
    conditions = event_conditions(filters)
    if dimension == "counts":
        statement = (select(Figure.counts, func.count(func.distinct(Figure.event_id)),
                            func.count(), func.sum(func.coalesce(Figure.value, Figure.low)))
                     .join(Event, col(Event.id) == col(Figure.event_id)).where(*conditions)
                     .group_by(col(Figure.counts)))
        return _top([Bucket(key=k, events=e, figures=f, figure_sum=s)
                     for k, e, f, s in session.exec(statement).all()], limit)
    key_column = {"country": Event.country, "type": Event.type, "place": Place.name,
                  "actor": Actor.name}[dimension]
    statement = select(key_column, func.count(func.distinct(Event.id))).where(*conditions)
    if dimension == "place":
        statement = statement.join(Place, col(Place.id) == col(Event.place_id))
    if dimension == "actor":
        statement = (statement.join(EventActor, col(EventActor.event_id) == col(Event.id))
                     .join(Actor, col(Actor.id) == col(EventActor.actor_id)))
    rows = session.exec(statement.group_by(key_column)).all()
    return _top([Bucket(key=str(k), events=n) for k, n in rows if k is not None], limit)


def _top(buckets: list[Bucket], limit: int) -> list[Bucket]:
    return sorted(buckets, key=lambda b: (-b.events, b.key))[:limit]

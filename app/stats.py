"""Aggregations for dashboards: counts and figure sums per period and per dimension.

Kept apart from ``queries`` (record lists) because these answer with groups, not records;
both build on the same filter conditions, so a dashboard's numbers always agree with the
lists it links to. ``figure_sum`` adds the figures' central values (SI units where they
have one): it means something once ``counts`` is filtered (e.g. ``counts=killed``). Only
figures of scope ``event`` are counted and added (a war's cumulative toll beside the dead of
one strike would count them twice) unless ``scope`` is asked, and, like the event counts,
only those of events reported, not recalled as background, unless ``include_background``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import func
from sqlmodel import Field, Session, SQLModel, col, select

from app.models import Actor, Event, EventActor, Figure, Place
from app.queries.changes import data_version
from app.queries.filters import (
    FIGURE_SIDE,
    Filters,
    counted_figures,
    event_conditions,
    figure_conditions,
)

CENTRAL = func.coalesce(Figure.si_value, Figure.value, Figure.low, Figure.high)


class Bucket(SQLModel):
    """One period or one value of a dimension, with its counts."""

    key: str = Field(description="The period's first day (YYYY-MM-DD) or the dimension's value")
    events: int = Field(description="Matching events in the bucket")
    figures: int = Field(default=0, description="Matching figures of those events")
    figure_sum: float | None = Field(default=None,
                                     description="Sum of those figures' values (filter counts)")


def period_start(day: date, interval: str) -> date:
    """The first day of the day/ISO week/month that ``day`` falls in."""
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], list[Bucket]] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(session: Session, key: tuple[Any, ...],
            compute: Callable[[], list[Bucket]]) -> list[Bucket]:
    """``compute()``, or its earlier answer for the same question over the same data."""
    if session.new or session.dirty or session.deleted:  # unflushed writes: not cacheable
        return compute()
    bind = session.get_bind().engine.url.render_as_string(hide_password=False)
    full_key = (bind, data_version(session), *key)
    with _cache_lock:
        hit = _cache.get(full_key)
        if hit is not None:
            _cache.move_to_end(full_key)
            return list(hit)
    answer = compute()
    with _cache_lock:
        _cache[full_key] = answer
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return list(answer)


def timeline(session: Session, *, filters: Filters, interval: str) -> list[Bucket]:
    """Dated events (and their figures) per period, by the event's first day, oldest first."""
    return _cached(session, ("timeline", repr(filters), interval),
                   lambda: _timeline(session, filters, interval))


def _timeline(session: Session, filters: Filters, interval: str) -> list[Bucket]:
    dated = col(Event.date_start).is_not(None)
    events = session.exec(select(col(Event.date_start), func.count())
                          .where(*event_conditions(session, filters), dated)
                          .group_by(col(Event.date_start))).all()
    figures = session.exec(
        select(col(Event.date_start), func.count(), func.sum(CENTRAL))
        .join(Event, col(Event.id) == col(Figure.event_id))
        .where(*figure_conditions(session, filters), *counted_figures(filters), dated)
        .group_by(col(Event.date_start))).all()
    buckets: dict[date, list[Any]] = {}
    for day, count in events:  # a date in each row (``dated``): the cast only tells mypy
        buckets.setdefault(period_start(cast(date, day), interval), [0, 0, None])[0] += count
    for day, count, total in figures:
        bucket = buckets.setdefault(period_start(cast(date, day), interval), [0, 0, None])
        bucket[1] += count
        bucket[2] = total if bucket[2] is None else bucket[2] + (total or 0)
    return [Bucket(key=day.isoformat(), events=e, figures=f, figure_sum=_rounded(s))
            for day, (e, f, s) in sorted(buckets.items())]


def by_dimension(session: Session, *, filters: Filters, dimension: str,
                 limit: int) -> list[Bucket]:
    """Event counts, figure counts and sums per value of ``dimension``, largest first.

    Answers are cached per data version (``queries.data_version``): dashboards poll the same
    breakdowns, which cost a scan of every matching event.
    """
    return _cached(session, ("by", repr(filters), dimension, limit),
                   lambda: _by_dimension(session, filters, dimension, limit))


def _by_dimension(session: Session, filters: Filters, dimension: str,
                  limit: int) -> list[Bucket]:
    if dimension == "counts":
        statement = (select(Figure.counts, func.count(func.distinct(Figure.event_id)),
                            func.count(), func.sum(CENTRAL))
                     .join(Event, col(Event.id) == col(Figure.event_id))
                     .where(*figure_conditions(session, filters), *counted_figures(filters))
                     .group_by(col(Figure.counts)))
        return _top([Bucket(key=k, events=e, figures=f, figure_sum=_rounded(s))
                     for k, e, f, s in session.exec(statement).all()], limit)
    key = _key_column(dimension)
    events = dict(session.exec(
        _joined(select(key, func.count(func.distinct(Event.id))).select_from(Event), dimension)
        .where(*event_conditions(session, filters)).group_by(key)).all())
    figures = {k: (n, total) for k, n, total in session.exec(
        _joined(select(key, func.count(func.distinct(Figure.id)), func.sum(CENTRAL))
                .select_from(Event).join(Figure, col(Figure.event_id) == col(Event.id)),
                dimension)
        .where(*event_conditions(session, filters),
               *figure_conditions(session, filters.only(FIGURE_SIDE)),
               *counted_figures(filters))
        .group_by(key)).all()}
    return _top([Bucket(key=str(k), events=n, figures=figures.get(k, (0, None))[0],
                        figure_sum=_rounded(figures.get(k, (0, None))[1]))
                 for k, n in events.items() if k is not None], limit)


def _key_column(dimension: str) -> Any:
    return {"country": Event.country, "type": Event.type, "place": Place.name,
            "admin1": Place.admin1, "actor": Actor.name}[dimension]


def _joined(statement: Any, dimension: str) -> Any:
    if dimension in ("place", "admin1"):
        return statement.join(Place, col(Place.id) == col(Event.place_id))
    if dimension == "actor":
        return (statement.join(EventActor, col(EventActor.event_id) == col(Event.id))
                .join(Actor, col(Actor.id) == col(EventActor.actor_id)))
    return statement


def _rounded(total: float | None) -> float | None:
    """Sums rounded to 4 decimals: databases add floats in different orders."""
    return None if total is None else round(total, 4)


def _top(buckets: list[Bucket], limit: int) -> list[Bucket]:
    return sorted(buckets, key=lambda b: (-b.events, b.key))[:limit]

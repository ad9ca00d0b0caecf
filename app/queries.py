"""The only query layer: typed filters in, public shapes out.

Lists use keyset paging on the primary key (``id > last``), so a page never shifts when
rows are inserted meanwhile, and related rows are loaded with one query per relation for
the whole page (no N+1).
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from app.models import (
    Actor,
    ActorCount,
    ActorPublic,
    Article,
    ArticleDetail,
    ArticlePublic,
    DatePublic,
    Event,
    EventActor,
    EventPublic,
    Excerpt,
    Figure,
    FigurePublic,
    Place,
    PlaceCount,
    PlacePublic,
)


class InvalidCursor(ValueError):
    """The cursor was not produced by this API."""


def encode_cursor(last_id: int, day: date | None = None) -> str:
    """An opaque cursor: the last row's id and, when sorting by date, its sort date."""
    payload: dict = {"id": last_id} if day is None else {"id": last_id, "d": day.isoformat()}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _cursor_payload(cursor: str) -> dict:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
            raise TypeError("no id")
        if "d" in payload:
            date.fromisoformat(payload["d"])
        return payload
    except (ValueError, TypeError) as error:
        raise InvalidCursor("cursor is not a value returned in next_cursor") from error


def decode_cursor(cursor: str | None) -> int | None:
    """The last id of the previous page; raises ``InvalidCursor`` for anything else."""
    return _cursor_payload(cursor)["id"] if cursor else None


# Undated events sort after dated ones in both directions.
LAST_DAY, FIRST_DAY = date(9999, 12, 31), date(1, 1, 1)


@dataclass(frozen=True)
class EventFilters:
    article_id: Sequence[int] = ()
    country: Sequence[str] = ()
    place: Sequence[str] = ()
    actor: Sequence[str] = ()
    type: Sequence[str] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None


@dataclass(frozen=True)
class FigureFilters:
    article_id: Sequence[int] = ()
    event_id: Sequence[int] = ()
    counts: Sequence[str] = ()
    unit: Sequence[str] = ()
    claimant: Sequence[str] = ()
    hedged: bool | None = None
    min_value: float | None = None
    max_value: float | None = None
    q: str | None = None
    actor: Sequence[str] = ()
    country: Sequence[str] = ()
    place: Sequence[str] = ()
    date_from: date | None = None
    date_to: date | None = None

    def event_filters(self) -> EventFilters | None:
        """The filters that are about the figure's event, if any are set."""
        event = EventFilters(actor=self.actor, country=self.country, place=self.place,
                             date_from=self.date_from, date_to=self.date_to)
        return event if event != EventFilters() else None


@dataclass
class PageResult:
    items: list = field(default_factory=list)
    next_cursor: str | None = None


# ---------------------------------------------------------------- events


def event_conditions(filters: EventFilters) -> list:
    conditions: list = []
    if filters.article_id:
        conditions.append(col(Event.article_id).in_(filters.article_id))
    if filters.country:
        conditions.append(col(Event.country).in_([c.upper() for c in filters.country]))
    if filters.type:
        conditions.append(col(Event.type).in_(filters.type))
    if filters.place:
        conditions.append(col(Event.place_id).in_(_place_ids(filters.place)))
    if filters.actor:
        conditions.append(col(Event.id).in_(
            select(EventActor.event_id).join(Actor).where(_actor_match(filters.actor))))
    if filters.date_from:
        conditions.append(col(Event.date_end) >= filters.date_from)
    if filters.date_to:
        conditions.append(col(Event.date_start) <= filters.date_to)
    if filters.q:
        conditions.append(func.lower(Event.excerpt_text).contains(filters.q.lower()))
    return conditions


def _place_ids(values: Sequence[str]):  # type: ignore[no-untyped-def]
    ids = [int(v) for v in values if v.isdigit()]
    names = [v.lower() for v in values if not v.isdigit()]
    return select(Place.id).where(or_(col(Place.id).in_(ids), func.lower(Place.name).in_(names)))


def _actor_match(values: Sequence[str]):  # type: ignore[no-untyped-def]
    ids = [int(v) for v in values if v.isdigit()]
    names = [v.lower() for v in values if not v.isdigit()]
    return or_(col(Actor.id).in_(ids), func.lower(Actor.name).in_(names),
               col(Actor.id).in_(select(EventActor.actor_id).where(
                   func.lower(EventActor.text).in_(names))))


def list_events(session: Session, *, filters: EventFilters, limit: int,
                cursor: str | None = None, sort: str = "id") -> PageResult:
    """One page of events matching ``filters`` in ``sort`` order (id, date or -date).

    Paging is keyset on (sort date, id), so pages never shift under concurrent inserts.
    """
    statement = select(Event).where(*event_conditions(filters))
    if sort == "id":
        after = decode_cursor(cursor)
        if after is not None:
            statement = statement.where(col(Event.id) > after)
        rows = list(session.exec(statement.order_by(col(Event.id)).limit(limit + 1)))
        return _page([*_events_public(session, rows[:limit])], rows, limit)
    descending = sort == "-date"
    key = func.coalesce(Event.date_start, FIRST_DAY if descending else LAST_DAY)
    if cursor:
        payload = _cursor_payload(cursor)
        day, last = date.fromisoformat(payload.get("d", LAST_DAY.isoformat())), payload["id"]
        statement = statement.where(
            or_(key < day, and_(key == day, col(Event.id) < last)) if descending
            else or_(key > day, and_(key == day, col(Event.id) > last)))
    order = (key.desc(), col(Event.id).desc()) if descending else (key, col(Event.id))
    rows = list(session.exec(statement.order_by(*order).limit(limit + 1)))
    items = _events_public(session, rows[:limit])
    if len(rows) <= limit:
        return PageResult(items=items)
    last_row = rows[limit - 1]
    fallback = FIRST_DAY if descending else LAST_DAY
    return PageResult(items=items,
                      next_cursor=encode_cursor(last_row.id, last_row.date_start or fallback))


def get_event(session: Session, event_id: int) -> EventPublic | None:
    event = session.get(Event, event_id)
    return _events_public(session, [event])[0] if event else None


def _page(items: list, rows: list, limit: int) -> PageResult:
    more = len(rows) > limit
    return PageResult(items=items, next_cursor=encode_cursor(rows[limit - 1].id) if more else None)


def _events_public(session: Session, events: list[Event]) -> list[EventPublic]:
    """Public events with places, actors and figures loaded in one query each."""
    ids = [e.id for e in events]
    place_ids = {e.place_id for e in events if e.place_id}
    places = {p.id: p for p in session.exec(select(Place).where(col(Place.id).in_(place_ids)))}
    actors: dict[int, list[ActorPublic]] = defaultdict(list)
    for link, actor in session.exec(select(EventActor, Actor).join(Actor).where(
            col(EventActor.event_id).in_(ids)).order_by(col(Actor.name))):
        actors[link.event_id].append(ActorPublic(id=actor.id, name=actor.name, kind=actor.kind,
                                                 role=link.role))
    figures: dict[int, list[FigurePublic]] = defaultdict(list)
    for figure in session.exec(select(Figure).where(col(Figure.event_id).in_(ids))
                               .order_by(col(Figure.start))):
        figures[figure.event_id or 0].append(figure_public(figure))
    return [_event_public(e, places.get(e.place_id), actors[e.id], figures[e.id])
            for e in events]


def _event_public(event: Event, place: Place | None, actors: list[ActorPublic],
                  figures: list[FigurePublic]) -> EventPublic:
    return EventPublic(
        id=event.id, article_id=event.article_id, type=event.type,
        acled_event_type=event.acled_event_type,
        acled_sub_event_type=event.acled_sub_event_type,
        date=DatePublic(start=event.date_start, end=event.date_end,
                        precision=event.date_precision, text=event.date_text),
        place=PlacePublic.model_validate(place, from_attributes=True) if place else None,
        actors=actors, figures=figures,
        excerpt=Excerpt(text=event.excerpt_text, start=event.excerpt_start,
                        end=event.excerpt_end),
        created_at=event.created_at, updated_at=event.updated_at,
    )


# ---------------------------------------------------------------- figures


def figure_public(figure: Figure) -> FigurePublic:
    data = figure.model_dump(exclude={"excerpt_text", "excerpt_start", "excerpt_end",
                                      "created_at", "updated_at"})
    return FigurePublic(**data, excerpt=Excerpt(text=figure.excerpt_text,
                                                start=figure.excerpt_start,
                                                end=figure.excerpt_end))


def _figure_conditions(filters: FigureFilters) -> list:
    conditions: list = []
    for column, values in ((Figure.article_id, filters.article_id),
                           (Figure.event_id, filters.event_id), (Figure.counts, filters.counts),
                           (Figure.unit, filters.unit)):
        if values:
            conditions.append(col(column).in_(values))
    if filters.claimant:
        conditions.append(func.lower(Figure.claimant).in_([c.lower() for c in filters.claimant]))
    if filters.hedged is not None:
        conditions.append(col(Figure.hedged).is_(filters.hedged))
    if filters.min_value is not None:
        conditions.append(func.coalesce(Figure.value, Figure.high, Figure.low) >= filters.min_value)
    if filters.max_value is not None:
        conditions.append(func.coalesce(Figure.value, Figure.low, Figure.high) <= filters.max_value)
    if filters.q:
        conditions.append(func.lower(Figure.excerpt_text).contains(filters.q.lower()))
    event_filters = filters.event_filters()
    if event_filters is not None:
        conditions.append(col(Figure.event_id).in_(
            select(Event.id).where(*event_conditions(event_filters))))
    return conditions


def list_figures(session: Session, *, filters: FigureFilters, limit: int,
                 cursor: str | None = None) -> PageResult:
    statement = select(Figure).where(*_figure_conditions(filters))
    after = decode_cursor(cursor)
    if after is not None:
        statement = statement.where(col(Figure.id) > after)
    rows = list(session.exec(statement.order_by(col(Figure.id)).limit(limit + 1)))
    return _page([figure_public(f) for f in rows[:limit]], rows, limit)


# ---------------------------------------------------------------- articles


def _article_counts(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    events = dict(session.exec(select(Event.article_id, func.count()).where(
        col(Event.article_id).in_(ids)).group_by(col(Event.article_id))).all())
    figures = dict(session.exec(select(Figure.article_id, func.count()).where(
        col(Figure.article_id).in_(ids)).group_by(col(Figure.article_id))).all())
    return events, figures


def list_articles(session: Session, *, limit: int, cursor: str | None = None) -> PageResult:
    statement = select(Article)
    after = decode_cursor(cursor)
    if after is not None:
        statement = statement.where(col(Article.id) > after)
    rows = list(session.exec(statement.order_by(col(Article.id)).limit(limit + 1)))
    page = rows[:limit]
    events, figures = _article_counts(session, [a.id for a in page])
    items = [ArticlePublic.model_validate(a, from_attributes=True).model_copy(
        update={"event_count": events.get(a.id, 0), "figure_count": figures.get(a.id, 0)})
        for a in page]
    return _page(items, rows, limit)


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    events, figures = _article_counts(session, [article_id])
    return ArticleDetail.model_validate(article, from_attributes=True).model_copy(
        update={"event_count": events.get(article_id, 0),
                "figure_count": figures.get(article_id, 0)})


def delete_article(session: Session, article_id: int) -> bool:
    """Remove an article and everything extracted from it (foreign keys cascade)."""
    article = session.get(Article, article_id)
    if article is None:
        return False
    session.delete(article)
    session.commit()
    return True


# ---------------------------------------------------------------- places and actors


def list_places(session: Session, *, q: str | None, country: Sequence[str], limit: int,
                cursor: str | None = None) -> PageResult:
    """Places with their event counts; ``q`` matches the start of the name, any case."""
    counts = (select(Event.place_id, func.count().label("events"))
              .group_by(col(Event.place_id)).subquery())
    statement = select(Place, counts.c.events).join(counts, counts.c.place_id == Place.id)
    if q:
        statement = statement.where(func.lower(Place.name).startswith(q.lower()))
    if country:
        statement = statement.where(col(Place.country).in_([c.upper() for c in country]))
    after = decode_cursor(cursor)
    if after is not None:
        statement = statement.where(col(Place.id) > after)
    rows = list(session.exec(statement.order_by(col(Place.id)).limit(limit + 1)))
    items = [PlaceCount(**place.model_dump(), events=events) for place, events in rows[:limit]]
    return _page(items, [place for place, _ in rows], limit)


def list_actors(session: Session, *, q: str | None, kind: Sequence[str], limit: int,
                cursor: str | None = None) -> PageResult:
    """Actors with the number of events they take part in."""
    counts = (select(EventActor.actor_id, func.count(func.distinct(EventActor.event_id))
                     .label("events")).group_by(col(EventActor.actor_id)).subquery())
    statement = select(Actor, counts.c.events).join(counts, counts.c.actor_id == Actor.id)
    if q:
        statement = statement.where(func.lower(Actor.name).startswith(q.lower()))
    if kind:
        statement = statement.where(col(Actor.kind).in_(kind))
    after = decode_cursor(cursor)
    if after is not None:
        statement = statement.where(col(Actor.id) > after)
    rows = list(session.exec(statement.order_by(col(Actor.id)).limit(limit + 1)))
    items = [ActorCount(**actor.model_dump(), events=events) for actor, events in rows[:limit]]
    return _page(items, [actor for actor, _ in rows], limit)


def database_ok(session: Session) -> bool:
    session.exec(select(func.count()).select_from(Article)).one()
    return True

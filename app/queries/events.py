"""Events: pages, one event, and the row stream behind exports.

Related rows (place, actors, figures) are loaded with one query per relation for a whole
page, never one per event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from app.models import Actor, Article, Event, EventActor, EventMention, Figure, Place
from app.queries.figures import FIGURE_COLUMNS, figure_public
from app.queries.filters import Filters, event_conditions
from app.queries.paging import (
    PageResult,
    count_rows,
    cursor_payload,
    encode_cursor,
    iter_batches,
    keyset_page,
)
from app.schemas import (
    ActorPublic,
    ActorRef,
    DatePublic,
    EventPublic,
    Excerpt,
    FigurePublic,
    PlacePublic,
)

# Undated events sort after dated ones in both directions.
LAST_DAY, FIRST_DAY = date(9999, 12, 31), date(1, 1, 1)
# Pages read plain rows of these columns (attribute access like ``Event``), not ORM objects.
# (ignore[attr-defined]: SQLModel sets __table__ on table models without declaring it)
EVENT_COLUMNS = tuple(Event.__table__.c)  # type: ignore[attr-defined]
PLACE_COLUMNS = tuple(Place.__table__.c)  # type: ignore[attr-defined]


def list_events(session: Session, *, filters: Filters, limit: int, cursor: str | None = None,
                sort: str = "id", count: bool = False) -> PageResult:
    """One page of events matching ``filters`` in ``sort`` order (id, date or -date)."""
    base = select(*EVENT_COLUMNS).where(*event_conditions(session, filters))
    if sort == "id":
        return keyset_page(session, base, col(Event.id), limit=limit, cursor=cursor,
                           count=count, build=lambda rows: events_public(session, rows))
    page = _by_date(session, base, limit, cursor, descending=sort == "-date")
    page.total = count_rows(session, base) if count else None
    return page


def _by_date(session: Session, base: Any, limit: int, cursor: str | None, *,
             descending: bool) -> PageResult:
    """Keyset on (sort date, id): undated events last whichever the direction."""
    fallback = FIRST_DAY if descending else LAST_DAY
    key = func.coalesce(Event.date_start, fallback)
    statement = base
    if cursor:
        payload = cursor_payload(cursor)
        day, last = date.fromisoformat(payload.get("d", fallback.isoformat())), payload["id"]
        statement = statement.where(
            or_(key < day, and_(key == day, col(Event.id) < last)) if descending
            else or_(key > day, and_(key == day, col(Event.id) > last)))
    order = (key.desc(), col(Event.id).desc()) if descending else (key, col(Event.id))
    rows = list(session.exec(statement.order_by(*order).limit(limit + 1)))
    items = events_public(session, rows[:limit])
    if len(rows) <= limit:
        return PageResult(items=items)
    last_row = rows[limit - 1]
    return PageResult(items=items,
                      next_cursor=encode_cursor(last_row.id or 0, last_row.date_start or fallback))


@dataclass(frozen=True)
class EventInContext:
    """An event with its article's outlet and link, for flat exports (ACLED's ``source``)."""

    event: EventPublic
    publisher: str | None
    url: str | None


def iter_events(session: Session, *, filters: Filters, limit: int | None = None,
                after: int | None = None) -> Iterator[EventInContext]:
    """Every matching event in id order with its source, in batches: constant memory."""
    for rows in iter_batches(session, Event, event_conditions(session, filters),
                             limit=limit, after=after):
        events = events_public(session, rows)
        sources = {article_id: (publisher, url) for article_id, publisher, url in session.exec(
            select(Article.id, Article.publisher, Article.url)
            .where(col(Article.id).in_({e.article_id for e in events})))}
        for event in events:
            publisher, url = sources.get(event.article_id, (None, None))
            yield EventInContext(event=event, publisher=publisher, url=url)


def count_events(session: Session, filters: Filters) -> int:
    return count_rows(session, select(Event).where(*event_conditions(session, filters)))


def get_event(session: Session, event_id: int) -> EventPublic | None:
    event = session.get(Event, event_id)
    return events_public(session, [event])[0] if event else None


def events_public(session: Session, events: list[Any]) -> list[EventPublic]:
    """Public events with places, actors, figures and mentions loaded in one query each.

    ``events`` are ``Event`` objects or rows of ``EVENT_COLUMNS``; related rows are read as
    plain columns too, and a place shared by many events is built once.
    """
    ids = [e.id for e in events]
    place_ids = {e.place_id for e in events if e.place_id}
    places = {p.id: PlacePublic.model_validate(p, from_attributes=True) for p in session.exec(
        select(*PLACE_COLUMNS).where(col(Place.id).in_(place_ids)))}
    refs = _actor_refs(session, {a for e in events for a in (e.actor1_id, e.actor2_id) if a})
    actors: dict[int, list[ActorPublic]] = defaultdict(list)
    for event_id, role, actor_id, name, kind in session.exec(
            # sqlmodel types select() for up to four columns; it takes five at run time
            select(  # type: ignore[call-overload]
                EventActor.event_id, EventActor.role, Actor.id, Actor.name, Actor.kind)
            .join(Actor, col(Actor.id) == col(EventActor.actor_id))
            .where(col(EventActor.event_id).in_(ids))
            .order_by(col(Actor.name), col(EventActor.role), col(EventActor.actor_id))):
        actors[event_id].append(ActorPublic(id=actor_id or 0, name=name, kind=kind, role=role))
    figures: dict[int, list[FigurePublic]] = defaultdict(list)
    for figure in session.exec(select(*FIGURE_COLUMNS).where(col(Figure.event_id).in_(ids))
                               .order_by(col(Figure.start), col(Figure.id))):
        figures[figure.event_id or 0].append(figure_public(figure))
    mentions = _mentions(session, ids)
    return [event_public(e, places.get(e.place_id), actors[e.id or 0], figures[e.id or 0],
                         refs=refs, mentions=mentions.get(e.id or 0))
            for e in events]


def _actor_refs(session: Session, actor_ids: set[int]) -> dict[int, ActorRef]:
    """actor1/actor2 of a page, one query for all of them."""
    return {actor_id or 0: ActorRef(id=actor_id or 0, name=name, kind=kind)
            for actor_id, name, kind in session.exec(
                select(Actor.id, Actor.name, Actor.kind).where(col(Actor.id).in_(actor_ids)))}


def _mentions(session: Session, ids: list[int]) -> dict[int, list[Excerpt]]:
    found: dict[int, list[Excerpt]] = defaultdict(list)
    for event_id, start, end, text in session.exec(
            select(EventMention.event_id, EventMention.start, EventMention.end, EventMention.text)
            .where(col(EventMention.event_id).in_(ids))
            .order_by(col(EventMention.event_id), col(EventMention.position))):
        found[event_id].append(Excerpt(text=text, start=start, end=end))
    return found


def event_public(event: Any, place: PlacePublic | None, actors: list[ActorPublic],
                 figures: list[FigurePublic], *, refs: dict[int, ActorRef] | None = None,
                 mentions: list[Excerpt] | None = None) -> EventPublic:
    """The public event; with no stored mentions, the excerpt is the one mention."""
    refs = refs or {}
    excerpt = Excerpt(text=event.excerpt_text, start=event.excerpt_start, end=event.excerpt_end)
    return EventPublic(
        id=event.id or 0, article_id=event.article_id, type=event.type,
        acled_event_type=event.acled_event_type,
        acled_sub_event_type=event.acled_sub_event_type,
        date=DatePublic(start=event.date_start, end=event.date_end,
                        precision=event.date_precision, text=event.date_text),
        place=place, actors=actors,
        actor1=refs.get(event.actor1_id) if event.actor1_id else None,
        actor2=refs.get(event.actor2_id) if event.actor2_id else None,
        fatalities=event.fatalities, background=bool(event.background),
        incident_id=event.incident_id, figures=figures, excerpt=excerpt,
        mentions=mentions or [excerpt],
        created_at=event.created_at, updated_at=event.updated_at,
    )

"""Figures: pages and the row stream behind exports, each with its event's place and date.

A figure alone says "300 (as many as), claimed by Telegram"; exports and maps also need
where and when, so streamed figures come with their event's place and date (one query per
batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Row
from sqlmodel import Session, col, select

from app.models import Event, Figure, Place
from app.queries.filters import Filters, figure_conditions
from app.queries.paging import PageResult, count_rows, iter_batches, keyset_page
from app.schemas import DatePublic, Excerpt, FigurePublic, PlacePublic


@dataclass(frozen=True)
class FigureInContext:
    """A figure with where and when its event happened, for flat exports."""

    figure: FigurePublic
    date: DatePublic | None
    place: PlacePublic | None


# Pages and exports read plain rows of these columns, not ORM objects: building a mapped
# instance per row cost more than the query itself on a page of 50.
# (ignore[attr-defined]: SQLModel sets __table__ on table models without declaring it)
FIGURE_COLUMNS = tuple(Figure.__table__.c)  # type: ignore[attr-defined]
EXCERPT_FIELDS = ("excerpt_text", "excerpt_start", "excerpt_end")


def figure_public(figure: Figure | Row[Any]) -> FigurePublic:
    """The public figure from a ``Figure`` or a row of ``FIGURE_COLUMNS``."""
    if isinstance(figure, Row):
        data = dict(figure._mapping)
        for name in EXCERPT_FIELDS:
            del data[name]
    else:
        data = figure.model_dump(exclude=set(EXCERPT_FIELDS))
    return FigurePublic(**data, excerpt=Excerpt(text=figure.excerpt_text,
                                                start=figure.excerpt_start,
                                                end=figure.excerpt_end))


def list_figures(session: Session, *, filters: Filters, limit: int, cursor: str | None = None,
                 count: bool = False) -> PageResult:
    base = select(*FIGURE_COLUMNS).where(*figure_conditions(session, filters))
    return keyset_page(session, base, col(Figure.id), limit=limit, cursor=cursor, count=count,
                       build=lambda rows: [figure_public(row) for row in rows])


def iter_figures(session: Session, *, filters: Filters, limit: int | None = None,
                 after: int | None = None) -> Iterator[FigureInContext]:
    """Every matching figure in id order with its event's date and place, in batches."""
    for rows in iter_batches(session, Figure, figure_conditions(session, filters),
                             limit=limit, after=after):
        yield from _in_context(session, rows)


def count_figures(session: Session, filters: Filters) -> int:
    return count_rows(session, select(Figure).where(*figure_conditions(session, filters)))


def _in_context(session: Session, figures: list[Any]) -> Iterator[FigureInContext]:
    """Each figure with its event's date and place: one query each per batch."""
    event_ids = {f.event_id for f in figures if f.event_id}
    # sqlmodel types select() for up to four columns (it takes six at run time) and its rows
    # as plain tuples: they are Rows, read by column name
    dates = select(  # type: ignore[call-overload, misc]
        Event.id, Event.place_id, Event.date_start, Event.date_end, Event.date_precision,
        Event.date_text).where(col(Event.id).in_(event_ids))
    events = {row.id: row for row in cast("Iterable[Row[Any]]", session.exec(dates))}
    place_ids = {row.place_id for row in events.values() if row.place_id}
    # (ignore[attr-defined]: SQLModel sets __table__ without declaring it)
    places = {row.id: PlacePublic.model_validate(row, from_attributes=True) for row in
              session.exec(select(*Place.__table__.c).where(  # type: ignore[attr-defined]
                  col(Place.id).in_(place_ids)))}
    for figure in figures:
        event = events.get(figure.event_id)
        when = DatePublic(start=event.date_start, end=event.date_end,
                          precision=event.date_precision, text=event.date_text) if event else None
        where = places.get(event.place_id) if event else None
        yield FigureInContext(figure=figure_public(figure), date=when, place=where)

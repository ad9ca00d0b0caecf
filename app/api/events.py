"""``/v1/events``: the event list and one event."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import StringConstraints

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.db import SessionDep
from app.models import EventPublic, Page

CountryCode = Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}$")]
router = APIRouter(prefix="/v1/events", tags=["events"])


@router.get("", response_model=Page[EventPublic], summary="List events")
def list_events(
    session: SessionDep,
    article_id: Annotated[list[int], Query(description="Article id; repeat for OR")] = [],  # noqa: B006
    country: Annotated[list[CountryCode], Query(description="ISO 3166-1 alpha-2, e.g. RU")] = [],  # noqa: B006
    place: Annotated[list[str], Query(description="Place name (exact) or id")] = [],  # noqa: B006
    actor: Annotated[list[str], Query(description="Actor name, alias or id")] = [],  # noqa: B006
    type: Annotated[list[str], Query(description="Event type, e.g. ground_assault")] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(description="Events ending on/after, YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="Events starting on/before, YYYY-MM-DD")] = None,
    q: Annotated[str | None, Query(description="Text search over excerpts", min_length=1)] = None,
    sort: Annotated[Literal["id", "date", "-date"],
                    Query(description="id (default), date (oldest first) or -date")] = "id",
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[EventPublic]:
    filters = queries.EventFilters(article_id=article_id, country=country, place=place,
                                   actor=actor, type=type, date_from=date_from,
                                   date_to=date_to, q=q)
    page = queries.list_events(session, filters=filters, limit=limit, cursor=cursor, sort=sort)
    return Page[EventPublic](items=page.items, next_cursor=page.next_cursor)


@router.get("/{event_id}", response_model=EventPublic, summary="One event",
            responses={404: {"description": "No such event"}})
def get_event(event_id: int, session: SessionDep) -> EventPublic:
    event = queries.get_event(session, event_id)
    if event is None:
        raise HTTPException(404, f"No event with id {event_id}.")
    return event

"""``/v1/events``: the event list (JSON pages, CSV or GeoJSON exports) and one event."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from app import queries
from app.api.output import (
    EXPORT_RESPONSES,
    CursorParam,
    FormatQuery,
    LimitParam,
    export_response,
    json_page,
    json_record,
    negotiate,
    page_limit,
)
from app.api.params import CountQuery, ScopedFiltersDep, invalid
from app.db import SessionDep
from app.queries.paging import MAX_ID
from app.schemas import EventPage, EventPublic

router = APIRouter(prefix="/v1/events", tags=["events"])
SortQuery = Annotated[Literal["id", "date", "-date"], Query(
    description="id (default, insertion order), date (oldest first) or -date (newest first); "
                "undated events come last either way", examples=["-date"])]


@router.get("", response_model=EventPage, summary="List or export events",
            responses={**EXPORT_RESPONSES, 200: {**EXPORT_RESPONSES[200], "links": {
                "GetFirstEvent": {"operationId": "get_event",
                                  "parameters": {"event_id": "$response.body#/items/0/id"},
                                  "description": "The first event of the page"}}}})
def list_events(request: Request, session: SessionDep, filters: ScopedFiltersDep,
                sort: SortQuery = "id", format: FormatQuery = None, limit: LimitParam = None,
                cursor: CursorParam = None, count: CountQuery = False) -> Response:
    """Events matching every filter given (repeat a filter to OR its values).

    Each event carries its place, date, actors, figures and the excerpt it was read from.
    """
    fmt = negotiate(request, format)
    if fmt != "json":
        if sort != "id":
            raise invalid("sort", "exports are in id order; sort applies to JSON pages")
        total = queries.count_events(session, filters) if count else None
        return export_response(request.app.state.engine, "events", fmt, filters, limit=limit,
                               cursor=cursor, total=total)
    page = queries.list_events(session, filters=filters, limit=page_limit(limit), cursor=cursor,
                               sort=sort, count=count)
    return json_page(EventPage, page)


@router.get("/{event_id}", response_model=EventPublic, summary="One event",
            responses={404: {"description": "No such event"}})
def get_event(event_id: Annotated[int, Path(description="Event id", examples=[12], ge=1,
                                            le=MAX_ID)],
              session: SessionDep) -> Response:
    """One event by its id (ids are stable and never reused)."""
    event = queries.get_event(session, event_id)
    if event is None:
        raise HTTPException(404, f"No event with id {event_id}.")
    return json_record(event)

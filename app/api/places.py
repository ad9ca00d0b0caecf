"""``/v1/places`` and ``/v1/actors``: the places and actors as stored, with event counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import queries
from app.api.output import (
    TABLE_FORMATS,
    TABLE_RESPONSES,
    CursorParam,
    LimitParam,
    TableFormatQuery,
    list_answer,
    negotiate,
)
from app.api.params import ActorKind, CountQuery, CountryCode, PlaceKind
from app.db import SessionDep
from app.schemas import ActorCount, ActorPage, PlaceCount, PlacePage

router = APIRouter(prefix="/v1", tags=["places and actors"])
NameStart = Annotated[str | None, Query(min_length=1, max_length=200, examples=["Kur"],
                                        description="Name starts with this (any case)")]


@router.get("/places", response_model=PlacePage, summary="Places with event counts",
            responses=TABLE_RESPONSES)
def list_places(
    request: Request,
    session: SessionDep,
    q: NameStart = None,
    country: Annotated[list[CountryCode], Query(
        description="ISO 3166-1 alpha-2; repeat to OR", examples=[["RU"]])] = [],  # noqa: B006
    kind: Annotated[list[PlaceKind], Query(
        description="Place kind; repeat to OR", examples=[["settlement"]])] = [],  # noqa: B006
    format: TableFormatQuery = None,
    limit: LimitParam = None,
    cursor: CursorParam = None,
    count: CountQuery = False,
) -> Response:
    """Places that have events, with how many; ids work in every `place` filter."""
    return list_answer(
        request, session, negotiate(request, format, TABLE_FORMATS), name="places",
        page=PlacePage, columns=tuple(PlaceCount.model_fields), limit=limit, cursor=cursor,
        count=count, fetch=lambda db, size, after, total: queries.list_places(
            db, q=q, country=country, kind=kind, limit=size, cursor=after, count=total))


@router.get("/actors", response_model=ActorPage, summary="Actors with event counts",
            responses=TABLE_RESPONSES)
def list_actors(
    request: Request,
    session: SessionDep,
    q: NameStart = None,
    kind: Annotated[list[ActorKind], Query(
        description="Actor kind; repeat to OR", examples=[["armed_group"]])] = [],  # noqa: B006
    format: TableFormatQuery = None,
    limit: LimitParam = None,
    cursor: CursorParam = None,
    count: CountQuery = False,
) -> Response:
    """Actors that take part in events, with how many; ids work in every `actor` filter."""
    return list_answer(
        request, session, negotiate(request, format, TABLE_FORMATS), name="actors",
        page=ActorPage, columns=tuple(ActorCount.model_fields), limit=limit, cursor=cursor,
        count=count, fetch=lambda db, size, after, total: queries.list_actors(
            db, q=q, kind=kind, limit=size, cursor=after, count=total))

"""``/v1/places`` and ``/v1/actors``: the places and actors as stored, with event counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.api.output import json_page
from app.api.params import ActorKind, CountQuery, CountryCode, PlaceKind
from app.db import SessionDep
from app.schemas import ActorPage, PlacePage

router = APIRouter(prefix="/v1", tags=["places and actors"])
NameStart = Annotated[str | None, Query(min_length=1, max_length=200, examples=["Kur"],
                                        description="Name starts with this (any case)")]


@router.get("/places", response_model=PlacePage, summary="Places with event counts")
def list_places(
    session: SessionDep,
    q: NameStart = None,
    country: Annotated[list[CountryCode], Query(
        description="ISO 3166-1 alpha-2; repeat to OR", examples=[["RU"]])] = [],  # noqa: B006
    kind: Annotated[list[PlaceKind], Query(
        description="Place kind; repeat to OR", examples=[["settlement"]])] = [],  # noqa: B006
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    count: CountQuery = False,
) -> Response:
    """Places that have events, with how many; ids work in every `place` filter."""
    page = queries.list_places(session, q=q, country=country, kind=kind, limit=limit,
                               cursor=cursor, count=count)
    return json_page(PlacePage, page)


@router.get("/actors", response_model=ActorPage, summary="Actors with event counts")
def list_actors(
    session: SessionDep,
    q: NameStart = None,
    kind: Annotated[list[ActorKind], Query(
        description="Actor kind; repeat to OR", examples=[["armed_group"]])] = [],  # noqa: B006
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    count: CountQuery = False,
) -> Response:
    """Actors that take part in events, with how many; ids work in every `actor` filter."""
    page = queries.list_actors(session, q=q, kind=kind, limit=limit, cursor=cursor, count=count)
    return json_page(ActorPage, page)

"""``/v1/places`` and ``/v1/actors``: the gazetteer and actor list as stored, with counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.api.events import CountryCode
from app.db import SessionDep
from app.models import ActorCount, Page, PlaceCount

router = APIRouter(prefix="/v1", tags=["places and actors"])


@router.get("/places", response_model=Page[PlaceCount], summary="Places with event counts")
def list_places(
    session: SessionDep,
    q: Annotated[str | None, Query(description="Name starts with (any case), e.g. Sud")] = None,
    country: Annotated[list[CountryCode], Query(description="ISO 3166-1 alpha-2")] = [],  # noqa: B006
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[PlaceCount]:
    page = queries.list_places(session, q=q, country=country, limit=limit, cursor=cursor)
    return Page[PlaceCount](items=page.items, next_cursor=page.next_cursor)


@router.get("/actors", response_model=Page[ActorCount], summary="Actors with event counts")
def list_actors(
    session: SessionDep,
    q: Annotated[str | None, Query(description="Name starts with (any case), e.g. Hez")] = None,
    kind: Annotated[list[str], Query(description="state, armed_group, person, ...")] = [],  # noqa: B006
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ActorCount]:
    page = queries.list_actors(session, q=q, kind=kind, limit=limit, cursor=cursor)
    return Page[ActorCount](items=page.items, next_cursor=page.next_cursor)

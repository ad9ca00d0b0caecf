"""``/v1/stats``: timeline and breakdowns for dashboards, over the same filters as events."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app import stats
from app.api.events import CountryCode
from app.db import SessionDep
from app.queries import EventFilters

router = APIRouter(prefix="/v1/stats", tags=["stats"])


def _filters(country: list[str], actor: list[str], type: list[str], date_from: date | None,
             date_to: date | None) -> EventFilters:
    return EventFilters(country=country, actor=actor, type=type, date_from=date_from,
                        date_to=date_to)


@router.get("/timeline", response_model=list[stats.Bucket], summary="Events per period")
def timeline(
    session: SessionDep,
    interval: Annotated[Literal["day", "week", "month"], Query(description="Bucket size")] = "day",
    country: Annotated[list[CountryCode], Query(description="ISO 3166-1 alpha-2")] = [],  # noqa: B006
    actor: Annotated[list[str], Query(description="Actor name or id")] = [],  # noqa: B006
    type: Annotated[list[str], Query(description="Event type")] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
) -> list[stats.Bucket]:
    return stats.timeline(session, interval=interval,
                          filters=_filters(country, actor, type, date_from, date_to))


@router.get("/{dimension}", response_model=list[stats.Bucket], summary="Events per value")
def by_dimension(
    session: SessionDep,
    dimension: Literal["country", "place", "actor", "type", "counts"],
    country: Annotated[list[CountryCode], Query(description="ISO 3166-1 alpha-2")] = [],  # noqa: B006
    actor: Annotated[list[str], Query(description="Actor name or id")] = [],  # noqa: B006
    type: Annotated[list[str], Query(description="Event type")] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most frequent first")] = 50,
) -> list[stats.Bucket]:
    return stats.by_dimension(session, dimension=dimension, limit=limit,
                              filters=_filters(country, actor, type, date_from, date_to))

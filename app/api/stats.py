"""``/v1/stats``: timeline and breakdowns for dashboards, over the same filters as events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from app import stats
from app.api.params import FiltersDep
from app.db import SessionDep

router = APIRouter(prefix="/v1/stats", tags=["stats"])
Dimension = Literal["country", "admin1", "place", "actor", "type", "counts"]


@router.get("/timeline", response_model=list[stats.Bucket], summary="Events per period")
def timeline(
    session: SessionDep,
    filters: FiltersDep,
    interval: Annotated[Literal["day", "week", "month"], Query(
        description="Bucket size: day, ISO week (keyed by its Monday) or month",
        examples=["month"])] = "day",
) -> list[stats.Bucket]:
    """Dated events per period (by first day), with their figures' count and sum."""
    return stats.timeline(session, filters=filters, interval=interval)


@router.get("/{dimension}", response_model=list[stats.Bucket], summary="Events per value")
def by_dimension(
    session: SessionDep,
    filters: FiltersDep,
    dimension: Annotated[Dimension, Path(
        description="country, admin1, place, actor, type or counts", examples=["country"])],
    limit: Annotated[int, Query(ge=1, le=500, examples=[20],
                                description="How many values, most frequent first")] = 50,
) -> list[stats.Bucket]:
    """Event counts (and figure counts and sums) per value of the dimension."""
    return stats.by_dimension(session, dimension=dimension, limit=limit, filters=filters)

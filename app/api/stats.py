"""``/v1/stats``: timeline and breakdowns for dashboards, over the same filters as events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app import stats
from app.api.output import TABLE_FORMATS, TABLE_RESPONSES, TableFormatQuery, list_of, negotiate
from app.api.params import ScopedFiltersDep
from app.db import SessionDep

router = APIRouter(prefix="/v1/stats", tags=["stats"])
Dimension = Literal["country", "admin1", "place", "actor", "type", "counts"]


@router.get("/timeline", response_model=list[stats.Bucket], summary="Events per period",
            responses=TABLE_RESPONSES)
def stats_timeline(
    request: Request,
    session: SessionDep,
    filters: ScopedFiltersDep,
    interval: Annotated[Literal["day", "week", "month"], Query(
        description="Bucket size: day, ISO week (keyed by its Monday) or month",
        examples=["month"])] = "day",
    format: TableFormatQuery = None,
) -> Response:
    """Dated events per period (by first day), with their figures' count and sum."""
    fmt = negotiate(request, format, TABLE_FORMATS)
    buckets = stats.timeline(session, filters=filters, interval=interval)
    return list_of(stats.Bucket, buckets, fmt, f"timeline-{interval}")


@router.get("/{dimension}", response_model=list[stats.Bucket], summary="Events per value",
            responses=TABLE_RESPONSES)
def stats_by_dimension(
    request: Request,
    session: SessionDep,
    filters: ScopedFiltersDep,
    dimension: Annotated[Dimension, Path(
        description="country, admin1, place, actor, type or counts", examples=["country"])],
    limit: Annotated[int, Query(ge=1, le=500, examples=[20],
                                description="How many values, most frequent first")] = 50,
    format: TableFormatQuery = None,
) -> Response:
    """Event counts (and figure counts and sums) per value of the dimension."""
    fmt = negotiate(request, format, TABLE_FORMATS)
    buckets = stats.by_dimension(session, dimension=dimension, limit=limit, filters=filters)
    return list_of(stats.Bucket, buckets, fmt, f"stats-{dimension}")

"""``/v1/claims``: the claims ledger, figures about the same thing side by side."""

from __future__ import annotations

from typing import Annotated, Literal

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
from app.api.params import EXPORT_MAX, FiltersDep
from app.db import SessionDep
from app.export_tables import CLAIM_COLUMNS, claim_rows
from app.schemas import ClaimPage

router = APIRouter(prefix="/v1/claims", tags=["claims"])


@router.get("", response_model=ClaimPage, summary="Claims ledger", responses=TABLE_RESPONSES)
def list_claims(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    scope: Annotated[Literal["place", "admin1", "country"], Query(
        description="Compare claims about the same place (default), admin1 region or country",
        examples=["country"])] = "place",
    min_claims: Annotated[int, Query(ge=1, le=1000, examples=[2],
                                     description="Only groups with at least this many claims")
                          ] = 2,
    contested: Annotated[bool | None, Query(
        description="Only groups where claimants disagree (true) or agree (false)",
        examples=[True])] = None,
    format: TableFormatQuery = None,
    limit: LimitParam = None,
    cursor: CursorParam = None,
) -> Response:
    """Figures that count the same thing (same `counts` and dimension) at the same place,
    over overlapping dates, grouped with each claimant's value, hedge, date and excerpt.
    The usual filters narrow the figures first (e.g. `counts=area_controlled&country=RU`).
    As CSV: one row per claim, its group's columns repeated (`limit` counts groups)."""
    return list_answer(
        request, session, negotiate(request, format, TABLE_FORMATS), name="claims",
        page=ClaimPage, columns=CLAIM_COLUMNS, rows=claim_rows, limit=limit, cursor=cursor,
        count=False, batch=EXPORT_MAX,  # groups are built in memory: one pass, not one a page
        fetch=lambda db, size, after, _total: queries.list_claims(
            db, filters=filters, scope=scope, min_claims=min_claims, contested=contested,
            limit=size, cursor=after))

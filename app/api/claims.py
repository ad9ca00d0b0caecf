"""``/v1/claims``: the claims ledger, figures about the same thing side by side."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.api.output import json_page
from app.api.params import FiltersDep
from app.db import SessionDep
from app.schemas import ClaimPage

router = APIRouter(prefix="/v1/claims", tags=["claims"])


@router.get("", response_model=ClaimPage, summary="Claims ledger")
def list_claims(
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
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Figures that count the same thing (same `counts` and dimension) at the same place,
    over overlapping dates, grouped with each claimant's value, hedge, date and excerpt.
    The usual filters narrow the figures first (e.g. `counts=area_controlled&country=RU`)."""
    page = queries.list_claims(session, filters=filters, scope=scope, min_claims=min_claims,
                               contested=contested, limit=limit, cursor=cursor)
    return json_page(ClaimPage, page)

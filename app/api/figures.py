"""``/v1/figures``: every claimed number with its claimant, hedge and excerpt."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.api.events import CountryCode
from app.db import SessionDep
from app.models import FigurePublic, Page

router = APIRouter(prefix="/v1/figures", tags=["figures"])


@router.get("", response_model=Page[FigurePublic], summary="List claimed figures")
def list_figures(
    session: SessionDep,
    article_id: Annotated[list[int], Query(description="Article id; repeat for OR")] = [],  # noqa: B006
    event_id: Annotated[list[int], Query(description="Event id; repeat for OR")] = [],  # noqa: B006
    counts: Annotated[list[str], Query(description="What is counted, e.g. killed")] = [],  # noqa: B006
    unit: Annotated[list[str], Query(description="Unit, e.g. person, km2")] = [],  # noqa: B006
    claimant: Annotated[list[str], Query(description="Claimant (exact, any case)")] = [],  # noqa: B006
    hedged: Annotated[bool | None, Query(description="Only hedged (true) or firm (false)")] = None,
    min_value: Annotated[float | None, Query(description="Figures reaching at least this")] = None,
    max_value: Annotated[float | None, Query(description="Figures not above this")] = None,
    q: Annotated[str | None, Query(description="Text search over excerpts", min_length=1)] = None,
    actor: Annotated[list[str], Query(description="Actor of the figure's event")] = [],  # noqa: B006
    country: Annotated[list[CountryCode], Query(description="ISO 3166-1 alpha-2")] = [],  # noqa: B006
    place: Annotated[list[str], Query(description="Place name (exact) or id")] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(description="Event ends on/after, YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="Event starts on/before, YYYY-MM-DD")] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[FigurePublic]:
    filters = queries.FigureFilters(article_id=article_id, event_id=event_id, counts=counts,
                                    unit=unit, claimant=claimant, hedged=hedged,
                                    min_value=min_value, max_value=max_value, q=q,
                                    actor=actor, country=country, place=place,
                                    date_from=date_from, date_to=date_to)
    page = queries.list_figures(session, filters=filters, limit=limit, cursor=cursor)
    return Page[FigurePublic](items=page.items, next_cursor=page.next_cursor)

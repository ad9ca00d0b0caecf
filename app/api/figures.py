"""``/v1/figures``: every claimed number with its claimant, hedge and excerpt."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app import queries
from app.api.output import (
    EXPORT_RESPONSES,
    CursorParam,
    FormatQuery,
    LimitParam,
    export_response,
    json_page,
    negotiate,
    page_limit,
)
from app.api.params import CountQuery, ScopedFiltersDep
from app.db import SessionDep
from app.schemas import FigurePage

router = APIRouter(prefix="/v1/figures", tags=["figures"])


@router.get("", response_model=FigurePage, summary="List or export claimed figures",
            responses=EXPORT_RESPONSES)
def list_figures(request: Request, session: SessionDep,
                 filters: ScopedFiltersDep, format: FormatQuery = None, limit: LimitParam = None,
                 cursor: CursorParam = None,
                 count: CountQuery = False) -> Response:
    """Figures matching every filter; event filters (place, date, actor...) apply to the
    figure's event. Exports add the event's date and place to each row."""
    fmt = negotiate(request, format)
    if fmt != "json":
        total = queries.count_figures(session, filters) if count else None
        return export_response(request.app.state.engine, "figures", fmt, filters, limit=limit,
                               cursor=cursor, total=total)
    page = queries.list_figures(session, filters=filters, limit=page_limit(limit),
                                cursor=cursor, count=count)
    return json_page(FigurePage, page)

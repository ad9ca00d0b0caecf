"""``/v1/changes``: the change feed a client follows to mirror the data incrementally."""

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
from app.api.params import UtcDateTime
from app.db import SessionDep
from app.queries.paging import MAX_ID
from app.schemas import ChangePage, ChangePublic

router = APIRouter(prefix="/v1/changes", tags=["sync"])


@router.get("", response_model=ChangePage, summary="Created, updated, deleted ids",
            responses=TABLE_RESPONSES)
def list_changes(
    request: Request,
    session: SessionDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID, examples=[120],
                                       description="Only changes after this seq (the last "
                                                   "one you applied)")] = None,
    since: Annotated[UtcDateTime | None, Query(
        description="Only changes at or after this ISO 8601 time (UTC if no offset)",
        examples=["2026-01-01T00:00:00Z"])
    ] = None,
    entity: Annotated[list[Literal["article", "event", "figure"]], Query(
        description="Only these record types; repeat to OR", examples=[["event"]])] = [],  # noqa: B006
    format: TableFormatQuery = None,
    limit: LimitParam = None,
    cursor: CursorParam = None,
) -> Response:
    """Every created, updated and deleted record in commit order. Deleted ids stay listed
    as tombstones and are never reused. To mirror: fetch pages until next_cursor is null,
    keep the last `seq`, and later ask again with `after=<seq>`."""
    return list_answer(
        request, session, negotiate(request, format, TABLE_FORMATS), name="changes",
        page=ChangePage, columns=tuple(ChangePublic.model_fields), limit=limit, cursor=cursor,
        count=False, fetch=lambda db, size, position, _total: queries.list_changes(
            db, since=since, after=after, entity=entity, limit=size, cursor=position))

"""``/v1/changes``: the change feed a client follows to mirror the data incrementally."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app import queries
from app.api.deps import CursorQuery, LimitQuery
from app.api.output import json_page
from app.api.params import MAX_ID, UtcDateTime
from app.db import SessionDep
from app.schemas import ChangePage

router = APIRouter(prefix="/v1/changes", tags=["sync"])


@router.get("", response_model=ChangePage, summary="Created, updated, deleted ids")
def list_changes(
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
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Every created, updated and deleted record in commit order. Deleted ids stay listed
    as tombstones and are never reused. To mirror: fetch pages until next_cursor is null,
    keep the last `seq`, and later ask again with `after=<seq>`."""
    page = queries.list_changes(session, since=since, after=after, entity=entity, limit=limit,
                                cursor=cursor)
    return json_page(ChangePage, page)

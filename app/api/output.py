"""Output formats: JSON pages, or CSV and GeoJSON exports streamed row batch by row batch.

The format comes from ``format=`` or, failing that, the Accept header (``text/csv``,
``application/geo+json``). Exports run on their own session, because the response body is
produced after the route (and its request session) has returned; they hold one batch of
rows in memory at a time, however many rows match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import export, queries
from app.api.params import EXPORT_MAX, PAGE_MAX, invalid
from app.queries import Filters, PageResult
from app.queries.paging import decode_cursor
from app.schemas import Page

Format = Literal["json", "csv", "geojson"]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}

FormatQuery = Annotated[Format | None, Query(
    description="json (default), csv (RFC 4180, one row per record) or geojson "
                "(RFC 7946 FeatureCollection); or send Accept: text/csv / application/geo+json",
    examples=["csv"])]
LimitParam = Annotated[int | None, Query(
    ge=1, le=EXPORT_MAX, examples=[50],
    description=f"JSON: page size, default 50, at most {PAGE_MAX} (more answers 422; follow "
                f"next_cursor). CSV/GeoJSON: every matching row is streamed unless limited "
                f"(at most {EXPORT_MAX:,})")]
CursorParam = Annotated[str | None, Query(
    description="Opaque cursor from next_cursor (exports: resume after that row)",
    examples=["eyJpZCI6IDUwfQ"])]

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/geo+json": {"schema": {"type": "object", "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"type": "object"}}}}}},
        "description": "A page (JSON) or the whole export (CSV, GeoJSON)"},
}


def negotiate(request: Request, requested: str | None) -> str:
    """The output format: the parameter wins, then the Accept header, then JSON."""
    if requested:
        return requested
    accept = request.headers.get("accept", "")
    if "text/csv" in accept:
        return "csv"
    if "application/geo+json" in accept:
        return "geojson"
    return "json"


def page_limit(limit: int | None) -> int:
    """The JSON page size: never silently capped, over the maximum is an error."""
    if limit is None:
        return 50
    if limit > PAGE_MAX:
        raise invalid("limit", f"at most {PAGE_MAX} per JSON page: follow next_cursor, or "
                               "export every row with format=csv or format=geojson")
    return limit


def json_page(shape: type[Page[Any]], page: PageResult) -> Response:
    """A JSON page serialized once by pydantic (FastAPI would validate it again first),
    with ``X-Total-Count`` when the total was asked for."""
    body = shape(items=page.items, next_cursor=page.next_cursor, total=page.total)
    headers = {"X-Total-Count": str(page.total)} if page.total is not None else None
    return Response(body.model_dump_json(), media_type="application/json", headers=headers)


def json_record(record: BaseModel) -> Response:
    """One record, serialized once (see ``json_page``)."""
    return Response(record.model_dump_json(), media_type="application/json")


def export_response(engine: Engine, kind: str, fmt: str, filters: Filters, *,
                    limit: int | None, cursor: str | None, total: int | None) -> Response:
    """Stream ``kind`` (events or figures) matching ``filters`` as CSV or GeoJSON."""
    after = decode_cursor(cursor)
    rows = _rows(engine, kind, filters, limit, after)
    if fmt == "csv":
        columns = export.EVENT_COLUMNS if kind == "events" else export.FIGURE_COLUMNS
        body: Iterator[Any] = export.csv_lines(columns, rows)
    else:
        body = export.geojson_chunks(rows)
    extension = "csv" if fmt == "csv" else "geojson"
    headers = {"Content-Disposition": f'attachment; filename="{kind}.{extension}"'}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def _rows(engine: Engine, kind: str, filters: Filters, limit: int | None,
          after: int | None) -> Iterator[dict[str, Any]]:
    iterate: Callable[..., Iterator[Any]] = (queries.iter_events if kind == "events"
                                            else queries.iter_figures)
    flatten: Callable[[Any], dict[str, Any]] = (export.event_row if kind == "events"
                                               else export.figure_row)
    with Session(engine) as session:
        for record in iterate(session, filters=filters, limit=limit, after=after):
            yield flatten(record)

"""Output formats: JSON pages, or CSV and GeoJSON exports streamed row batch by row batch.

The format comes from ``format=`` or, failing that, the Accept header with its q-values
(``text/csv;q=0`` refuses CSV; nothing acceptable answers 406). Events and figures export
CSV and GeoJSON; every other list exports CSV, for spreadsheet users. Exports run on their
own session, because the response body is produced after the route (and its request
session) has returned; they hold one batch of rows in memory at a time, however many match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, Literal

import mimeparse
from fastapi import HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import export, queries
from app.api.params import EXPORT_MAX, PAGE_MAX, invalid
from app.queries import Filters, PageResult
from app.queries.paging import cursor_payload, decode_cursor
from app.schemas import Page

Format = Literal["json", "csv", "geojson"]
TableFormat = Literal["json", "csv"]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
ACCEPTED_MEDIA = {"json": "application/json", "csv": "text/csv",
                  "geojson": "application/geo+json"}
EXPORT_FORMATS = ("json", "csv", "geojson")
TABLE_FORMATS = ("json", "csv")

FormatQuery = Annotated[Format | None, Query(
    description="json (default), csv (RFC 4180, one row per record) or geojson "
                "(RFC 7946 FeatureCollection); or send Accept: text/csv / application/geo+json",
    examples=["csv"])]
LimitParam = Annotated[int | None, Query(
    ge=1, le=EXPORT_MAX, examples=[50],
    description=f"JSON: page size, default 50, at most {PAGE_MAX} (more answers 422; follow "
                f"next_cursor). CSV/GeoJSON: every matching row is streamed unless limited "
                f"(at most {EXPORT_MAX:,})")]
TableFormatQuery = Annotated[TableFormat | None, Query(
    description="json (default) or csv (RFC 4180, one row per record, every matching row); "
                "or send Accept: text/csv", examples=["csv"])]
CursorParam = Annotated[str | None, Query(
    description="Opaque cursor from next_cursor (exports: resume after that row)",
    examples=["eyJpZCI6IDUwfQ"])]

NOT_ACCEPTABLE: dict[int | str, dict[str, Any]] = {
    406: {"description": "The Accept header allows none of the formats"}}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/geo+json": {"schema": {"type": "object", "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"type": "object"}}}}}},
        "description": "A page (JSON) or the whole export (CSV, GeoJSON)"},
    **NOT_ACCEPTABLE,
}
TABLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "JSON, or every matching row as CSV"},
    **NOT_ACCEPTABLE,
}


def negotiate(request: Request, requested: str | None,
              offered: tuple[str, ...] = EXPORT_FORMATS) -> str:
    """The output format: the parameter wins, then the Accept header, then JSON.

    The header is weighed by its q-values (``offered`` is in order of preference for ties,
    so ``*/*`` is JSON); a header that allows none of them, or cannot be parsed, is 406.
    """
    if requested:
        return requested
    accept = request.headers.get("accept", "").strip()
    if not accept:
        return "json"
    media = [ACCEPTED_MEDIA[name] for name in reversed(offered)]  # best_match: best last
    try:
        best = mimeparse.best_match(media, accept)
    except (mimeparse.MimeTypeParseException, ValueError):
        best = ""
    if not best:
        listed = ", ".join(ACCEPTED_MEDIA[name] for name in offered)
        raise HTTPException(406, f"Accept: {accept[:100]!r} allows none of {listed} (or use "
                                 "the format parameter).")
    return next(name for name in offered if ACCEPTED_MEDIA[name] == best)


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


Fetch = Callable[[Session, int, str | None, bool], PageResult]  # (session, limit, cursor, count)


def list_answer(request: Request, session: Session, fmt: str, *, name: str,
                page: type[Page[Any]], fetch: Fetch, limit: int | None, cursor: str | None,
                count: bool, columns: tuple[str, ...],
                rows: Callable[[Any], Iterable[dict[str, Any]]] | None = None,
                batch: int = PAGE_MAX) -> Response:
    """A JSON page, or every matching record as CSV (from ``cursor`` on, up to ``limit``).

    The CSV walks the same keyset pages as the JSON (``batch`` records at a time) on a
    session of its own, flattening each record into ``rows`` (default: its fields).
    """
    if fmt == "json":
        return json_page(page, fetch(session, page_limit(limit), cursor, count))
    if cursor:
        cursor_payload(cursor)  # a bad cursor is a 422 now, not a broken stream later
    total = fetch(session, 1, None, True).total if count else None
    flatten = rows or (lambda item: [item.model_dump()])
    items = _paged(request.app.state.engine, fetch, limit=limit, cursor=cursor, batch=batch)
    return csv_response(name, columns, (row for item in items for row in flatten(item)), total)


def _paged(engine: Engine, fetch: Fetch, *, limit: int | None, cursor: str | None,
           batch: int) -> Iterator[Any]:
    remaining = limit
    with Session(engine) as session:
        while remaining is None or remaining > 0:
            page = fetch(session, batch if remaining is None else min(batch, remaining),
                         cursor, False)
            yield from page.items
            remaining = None if remaining is None else remaining - len(page.items)
            if page.next_cursor is None:
                return
            cursor = page.next_cursor
            session.expunge_all()


def csv_response(name: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]],
                 total: int | None = None) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    return StreamingResponse(export.csv_lines(columns, rows), media_type=MEDIA_TYPES["csv"],
                             headers=headers)


def list_of(model: type[BaseModel], items: list[Any], fmt: str, name: str) -> Response:
    """An answer that is a plain list (aggregations): JSON, or the same rows as CSV."""
    if fmt == "csv":
        return csv_response(name, tuple(model.model_fields), (i.model_dump() for i in items))
    # a class known at run time as the item type: pydantic takes it, mypy cannot check it
    return Response(TypeAdapter(list[model]).dump_json(items),  # type: ignore[valid-type]
                    media_type="application/json")

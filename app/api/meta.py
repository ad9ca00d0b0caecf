"""``/health`` and ``/v1/meta``: liveness, and what this server holds and speaks."""

from __future__ import annotations

from datetime import datetime
from importlib.metadata import version

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, SQLModel

from app import queries, vocabulary
from app.api.output import MEDIA_TYPES
from app.api.params import EXPORT_MAX, PAGE_MAX
from app.db import SessionDep, storage_shortage
from app.models import META_MAX_LENGTH

router = APIRouter(tags=["meta"])


class Meta(SQLModel):
    """What this server holds and the vocabularies its filters accept."""

    version: str = Field(description="frontwire version")
    api: str = Field(description="API version in the paths")
    data_version: str = Field(description="Changes with every write; part of every ETag")
    counts: dict[str, int] = Field(description="Records per type")
    last_ingest: datetime | None = Field(description="When the newest article was stored")
    taxonomy: list[dict[str, str]] = Field(description="Event types with their ACLED mapping")
    vocabularies: dict[str, dict[str, str]] = Field(
        description="Accepted values (with meanings) of counts, unit, place and actor kinds, "
                    "roles and ACLED event types")
    formats: list[str] = Field(description="Values of the format parameter")
    limits: dict[str, int] = Field(
        description="Largest JSON page and export (rows); longest title, author, publisher "
                    "and url accepted (characters: title_chars, ...)")


class Health(SQLModel):
    """Whether the server and its database answer, and whether writes can succeed."""

    status: str = Field(description="ok, degraded (reads work, writes fail) or error")
    database: str = Field(description="ok or unreachable")
    writes: str = Field(description="ok or failing")
    reason: str | None = Field(default=None, description="Why writes fail, when they do")


@router.get("/health", summary="Liveness and database reachability", response_model=Health,
            responses={503: {"model": Health, "description": "The database is unreachable"}})
def get_health(request: Request, session: SessionDep) -> JSONResponse:
    """200 when the server runs and its database answers (status degraded when writes fail
    for lack of storage: reads still work, so a load balancer should keep the server);
    503 when the database is unreachable."""
    try:
        queries.database_ok(session)
    except SQLAlchemyError:
        return JSONResponse({"status": "error", "database": "unreachable", "writes": "failing",
                             "reason": "the database is unreachable"}, status_code=503)
    failure = (request.app.state.write_health.failure
               or storage_shortage(request.app.state.settings.database_url))
    if failure:
        return JSONResponse({"status": "degraded", "database": "ok", "writes": "failing",
                             "reason": failure})
    return JSONResponse({"status": "ok", "database": "ok", "writes": "ok", "reason": None})


@router.get("/v1/meta", response_model=Meta, summary="Version, counts, taxonomy")
def get_meta(session: SessionDep) -> Meta:
    """What the server holds (counts, last ingest) and the vocabularies its filters accept."""
    fields = ("counts", "unit", "acled_event_type", "place_kind", "actor_kind", "role", "scope",
              "date_precision")
    return Meta(
        version=version("frontwire"), api="v1", data_version=queries.data_version(session),
        counts=queries.counts(session), last_ingest=queries.last_ingest(session),
        taxonomy=list(vocabulary.event_taxonomy()),
        vocabularies={field: vocabulary.described(field) for field in fields},
        formats=["json", *MEDIA_TYPES], limits={
            "page": PAGE_MAX, "export": EXPORT_MAX,
            **{f"{field}_chars": limit for field, limit in META_MAX_LENGTH.items()}},
    )

"""The app factory. Nothing heavy at import: the NLP pipeline loads on the first POST."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlmodel import Session

from app import queries
from app.api import articles, changes, claims, docs, events, figures, meta, openapi, places, stats
from app.api.caching import ConditionalGetMiddleware
from app.api.dashboard import install as install_dashboard
from app.api.errors import ErrorMiddleware, error_response
from app.api.params import known_parameters_only, no_nul_characters
from app.api.security import RateLimitMiddleware, SecurityHeadersMiddleware
from app.config import Settings, get_settings
from app.db import WriteHealth, get_engine
from app.ingestion import ArticleMeta, Ingested

DESCRIPTION = """frontwire turns war reporting into sourced, queryable event data.

Every event and figure carries an `excerpt` with character offsets into its article's
text, so `article.text[start:end] == excerpt.text`. Lists page with `limit` and the opaque
`cursor` from `next_cursor`; repeat a filter parameter to OR its values.

**Query language.** Filters combine with AND; a repeated parameter ORs its values
(`actor=Ukraine&actor=Russia`). Names match exactly in any case, never as substrings
(`country=ML` never returns Somalia). Dates overlap: `date_from`/`date_to` keep records whose
[start, end] touches the range; undated records only with `include_undated=true`. `q` is
full text (stemmed words, "phrases", OR, -word). `bbox=min_lon,min_lat,max_lon,max_lat`,
`near=lat,lon&radius_km=50`. `count=true` adds `total` and `X-Total-Count`.
`format=csv|geojson` (or an Accept header) streams every matching row.

**Sync.** Ids never change and are never reused; `/v1/changes` lists created, updated and
deleted ids in order. Every GET under `/v1` has an ETag: send it back in `If-None-Match`
to get 304 while nothing changed."""

TAGS = [
    {"name": "events", "description": "What happened, where, when, who, with which figures"},
    {"name": "figures", "description": "Every claimed number with its claimant and hedge"},
    {"name": "claims", "description": "The claims ledger: figures about the same thing"},
    {"name": "articles", "description": "The source texts; writes need X-API-Key"},
    {"name": "places and actors", "description": "Places and actors with event counts"},
    {"name": "stats", "description": "Aggregations for dashboards"},
    {"name": "sync", "description": "The change feed for incremental mirrors"},
    {"name": "meta", "description": "Health, version, counts and vocabularies"},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPIOffline(title="frontwire", version=version("frontwire"),
                         description=DESCRIPTION, lifespan=_lifespan, redoc_url=None,
                         dependencies=[Depends(known_parameters_only),
                                       Depends(no_nul_characters)],
                         openapi_tags=TAGS, generate_unique_id_function=_operation_id)
    app.state.settings = settings
    app.state.engine = get_engine(settings.database_url)
    app.state.write_health = WriteHealth()
    app.state.ingestor = ServiceIngestor()
    app.add_middleware(ConditionalGetMiddleware, engine=app.state.engine)
    app.add_middleware(ErrorMiddleware, writes=app.state.write_health)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)  # 9 costs 3x the CPU
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.rate_limit_per_minute:
        app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["*"],
                           expose_headers=["ETag", "X-Total-Count"])
    for module in (events, figures, claims, articles, places, stats, changes, meta, docs):
        app.include_router(module.router)
    openapi.install(app)
    install_dashboard(app)
    app.add_exception_handler(queries.InvalidCursor, _invalid_cursor)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    return app


class ServiceIngestor:
    """``app.ingest.service`` behind the API's ``Ingestor`` port, imported on first use.

    This module is the composition root: the only place where the API and the ingestion
    half meet. The import waits for the first POST so the API process starts light.
    """

    def ingest_text(self, session: Session, raw: str, overrides: ArticleMeta | None = None, *,
                    html: bool | None = None, timeout: float | None = None) -> Ingested:
        from app.ingest.service import ingest_text

        return ingest_text(session, raw, overrides, html=html, timeout=timeout)

    def ingest_bytes(self, session: Session, data: bytes, overrides: ArticleMeta | None = None,
                     *, max_bytes: int, charset: str | None = None, html: bool | None = None,
                     timeout: float | None = None) -> Ingested:
        from app.ingest.service import ingest_bytes

        return ingest_bytes(session, data, overrides, max_bytes=max_bytes, charset=charset,
                            html=html, timeout=timeout)


def _operation_id(route: APIRoute) -> str:
    """Short operation ids (list_events, get_event), the names generated clients call;
    FastAPI's default appends the path and method (list_events_v1_events_get)."""
    return route.name


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm the extraction pipeline in a background thread when writes are enabled."""
    settings: Settings = app.state.settings
    app.state.warm_up_thread = None
    if settings.accepted_key_hashes() and settings.warm_up:
        app.state.warm_up_thread = threading.Thread(target=_warm_up, name="frontwire-warm-up",
                                                    daemon=True)
        app.state.warm_up_thread.start()
    yield
    from app.ingest.worker_pool import shutdown

    shutdown()


def _warm_up() -> None:
    from app.ingest.worker_pool import warm_up  # the extraction worker, not this process

    try:
        warm_up()
    except Exception:  # a failed warm-up must not kill the server; the first POST retries
        logging.getLogger("frontwire").exception("pipeline warm-up failed")


async def _invalid_cursor(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": ["query", "cursor"], "msg": str(error),
                                     "type": "invalid_cursor"}]},
                        status_code=422)


async def _server_error(request: Request, error: Exception) -> JSONResponse:
    """Last resort for a failure outside ``ErrorMiddleware`` (in an outer middleware)."""
    return error_response(request.scope, error)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    """422 naming each bad parameter and what it accepts, without echoing large inputs."""
    assert isinstance(error, RequestValidationError)
    detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
              for e in error.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


app = create_app()

"""``/health``: liveness and database reachability."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app import queries
from app.db import SessionDep

router = APIRouter(tags=["meta"])


@router.get("/health", summary="Liveness and database reachability")
def health(session: SessionDep) -> JSONResponse:
    try:
        queries.database_ok(session)
    except SQLAlchemyError:
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})

"""The built-in dashboard: static pages that read everything from the public v1 API.

The pages are plain HTML + JavaScript with their libraries vendored under ``app/static`` (no
build step, no CDN), so they work offline and under the page CSP of ``app.api.security`` and
double as a worked example for anyone building a dashboard on the API. The server only hands
out files: every number on screen comes from a ``fetch`` of a ``/v1`` endpoint.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.api.params import MAX_ID

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGES_DIR = STATIC_DIR / "dashboard"

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    """An HTML page that must not be cached for long: it names asset URLs that change."""
    return FileResponse(PAGES_DIR / name, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


@router.get("/dashboard")
def dashboard() -> FileResponse:
    """Map, timeline, filters, events and the claims ledger (see dashboard.js)."""
    return _page("index.html")


@router.get("/dashboard/")
def dashboard_slash() -> RedirectResponse:
    """People type the trailing slash; relative asset URLs would then break, so redirect."""
    return RedirectResponse("/dashboard", status_code=308)


@router.get("/dashboard/article/{article_id}")
def article_page(article_id: int = PathParam(ge=1, le=MAX_ID)) -> FileResponse:
    """One article with every extracted span highlighted; the page reads the id from its URL."""
    return _page("article.html")


def install(app: FastAPI) -> None:
    """Register the dashboard pages and serve ``app/static`` at ``/static``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

"""The built-in dashboard: static pages that read everything from the public v1 API.

The pages are plain HTML + JavaScript with their libraries vendored under ``app/static`` (no
build step, no CDN), so they work offline and double as a worked example for anyone building
a dashboard on the API. The server only hands out files: every number on screen comes from a
``fetch`` of a ``/v1`` endpoint.

They carry a stricter policy than the API docs (``app.api.security``): scripts only from this
server's files, never inline (no ``<script>`` blocks, no ``on...=`` handlers), so even a
stored title such as ``<img src=x onerror=alert(1)>`` that reached the DOM as HTML could
not run. Styles stay ``'unsafe-inline'``: Leaflet positions the map with style attributes.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from app.queries.paging import MAX_ID

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGES_DIR = STATIC_DIR / "dashboard"

DASHBOARD_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    """An HTML page that must not be cached for long: it names asset URLs that change."""
    return FileResponse(PAGES_DIR / name, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache",
                                 "Content-Security-Policy": DASHBOARD_POLICY})


class DashboardFiles(StaticFiles):
    """``app/static`` under the dashboard's policy (its pages are reachable here too)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["Content-Security-Policy"] = DASHBOARD_POLICY
        return response


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
    app.mount("/static", DashboardFiles(directory=STATIC_DIR), name="static")

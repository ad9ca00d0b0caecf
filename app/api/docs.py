"""``/redoc`` served wholly from this server.

fastapi-offline ships ReDoc's bundle, but the bundle itself still loads its "API docs by
Redocly" logo from cdn.redoc.ly; offline that is a failed request and a console error. The
bundle is served here with that one URL pointed at an inline image instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse

REDOC_BUNDLE = Path(fastapi_offline.__file__).resolve().parent / "static" / "redoc.standalone.js"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
INLINE_LOGO = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' "
               "width='1' height='1'/%3E")
ASSET_PATH = "/docs-assets/redoc.standalone.js"

router = APIRouter(include_in_schema=False)


@cache
def _bundle() -> bytes:
    return REDOC_BUNDLE.read_text(encoding="utf-8").replace(CDN_LOGO, INLINE_LOGO).encode()


@router.get(ASSET_PATH)
def redoc_bundle() -> Response:
    return Response(_bundle(), media_type="application/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}{request.app.openapi_url}",
                          title=f"{request.app.title} - ReDoc",
                          redoc_js_url=f"{root}{ASSET_PATH}", with_google_fonts=False,
                          redoc_favicon_url=f"{root}/static-offline-docs/favicon.png")

"""Dependencies shared by the routes: settings, the write key, paging parameters."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request

from app.config import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="Write key (FRONTWIRE_API_KEY)")] = None,
) -> None:
    """Guard write endpoints; compare in constant time so the key can't be guessed by timing."""
    if not settings.api_key:
        raise HTTPException(403, "Writes are disabled: set FRONTWIRE_API_KEY on the server "
                                 "and send it in the X-API-Key header.")
    if x_api_key is None or not hmac.compare_digest(x_api_key.encode(),
                                                    settings.api_key.encode()):
        raise HTTPException(401, "Missing or wrong X-API-Key header.")


WriteAccess = Depends(require_api_key)

LimitQuery = Annotated[int, Query(ge=1, le=500, examples=[50],
                                  description="Page size, at most 500 (more answers 422)")]
CursorQuery = Annotated[str | None, Query(description="Opaque cursor from next_cursor",
                                          examples=["eyJpZCI6IDUwfQ"])]

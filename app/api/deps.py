"""Dependencies shared by the routes: settings and the write key."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from app.config import Settings, hash_key
from app.ingestion import Ingestor


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_ingestor(request: Request) -> Ingestor:
    """The ingestion service the app factory plugged in (``app.ingestion``)."""
    ingestor: Ingestor = request.app.state.ingestor
    return ingestor


IngestorDep = Annotated[Ingestor, Depends(get_ingestor)]


# A security scheme rather than a plain header parameter: the OpenAPI document then marks
# the write operations as needing it (Swagger's Authorize button; generated clients send it).
# auto_error=False: a missing key is answered below, with the 403/401 this API documents.
API_KEY_SCHEME = APIKeyHeader(name="X-API-Key", scheme_name="ApiKey", auto_error=False,
                              description="Write key (FRONTWIRE_API_KEY on the server)")


async def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Depends(API_KEY_SCHEME)] = None,
) -> None:
    """Guard write endpoints: keys are compared as SHA-256 digests, in constant time, so
    neither the key's length nor its prefix can be learned by timing."""
    accepted = settings.accepted_key_hashes()
    if not accepted:
        raise HTTPException(403, "Writes are disabled: set FRONTWIRE_API_KEY (or "
                                 "FRONTWIRE_API_KEY_HASHES) on the server and send the key in "
                                 "the X-API-Key header.")
    given = hash_key(x_api_key or "").encode()
    matches = [hmac.compare_digest(given, digest.encode()) for digest in accepted]
    if x_api_key is None or not any(matches):
        raise HTTPException(401, "Missing or wrong X-API-Key header.")


WriteAccess = Depends(require_api_key)

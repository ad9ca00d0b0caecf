"""Conditional GETs: an ETag on every ``/v1`` answer, and 304 when the client already has it.

The ETag is the data version (``queries.data_version``, which every write moves) plus a
hash of the request line and the headers that shape the body, so checking it costs three
indexed ``max(id)`` lookups and no query of the data: a dashboard polling an unchanged
database gets 304s with no body. Weak ETags, because gzip may re-encode the same content.
"""

from __future__ import annotations

import hashlib

from anyio import to_thread
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.queries import data_version

CACHE_CONTROL = "no-cache"  # may be stored, but revalidated (cheaply, by ETag) every time
VARYING_HEADERS = ("accept",)


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp, engine: Engine, prefix: str = "/v1/") -> None:
        self.app, self.engine, self.prefix = app, engine, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or not scope["path"].startswith(self.prefix)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        etag = await self._etag(scope, headers)
        if _matches(headers.get("if-none-match"), etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode()),
                                    (b"cache-control", CACHE_CONTROL.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                response_headers = MutableHeaders(scope=message)
                response_headers["ETag"] = etag
                response_headers["Cache-Control"] = CACHE_CONTROL
                response_headers.append("Vary", "Accept")
            await send(message)

        await self.app(scope, receive, send_with_etag)

    async def _etag(self, scope: Scope, headers: Headers) -> str:
        version = await to_thread.run_sync(self._version)
        request = b"\n".join([scope["path"].encode(), scope.get("query_string", b""),
                              *(headers.get(name, "").encode() for name in VARYING_HEADERS)])
        return f'W/"{version}-{hashlib.sha256(request).hexdigest()[:20]}"'

    def _version(self) -> str:
        with Session(self.engine) as session:
            return data_version(session)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))

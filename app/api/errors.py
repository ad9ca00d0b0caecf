"""Unexpected failures as answers: 503/507 when the database cannot serve, 500 otherwise.

Starlette's own catch-all (``ServerErrorMiddleware``) sends the 500 and then re-raises, so
uvicorn closes the keep-alive connection after every 500 and the client's next request
fails on a dead socket. This middleware answers instead and keeps the connection. It sits
outside the ETag middleware, whose data-version query is the first to meet a stopped
database, and inside the security headers and CORS, so every error answer carries them.

A failure after the answer started (a streamed export losing its database) is re-raised:
closing the connection is then the only way to tell the client its body is incomplete. A
failure after the whole answer went out (closing the request's session on a database that
just went away) is only logged: the client has its answer and keeps its connection.
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import Trouble, WriteHealth, trouble

SERVER_ERROR = "Internal server error; the server log has the details."
logger = logging.getLogger("frontwire")


class ErrorMiddleware:
    def __init__(self, app: ASGIApp, writes: WriteHealth) -> None:
        self.app, self.writes = app, writes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = finished = False

        async def send_observed(message: Message) -> None:
            nonlocal started, finished
            if message["type"] == "http.response.start":
                started = True
                self.writes.observe(scope["method"], message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        except Exception as error:
            if finished:
                _log(scope, error, trouble(error))
                return
            if started:
                raise
            response = error_response(scope, error)
            self.writes.observe(scope["method"], response.status_code)
            await response(scope, receive, send)


def error_response(scope: Scope, error: BaseException) -> JSONResponse:
    """The answer for ``error``: 503 + Retry-After or 507 for the database, else 500."""
    found = trouble(error)
    _log(scope, error, found)
    if found is None:
        return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
    return JSONResponse({"detail": _detail(found)}, status_code=found.status,
                        headers=_headers(found))


def _log(scope: Scope, error: BaseException, found: Trouble | None) -> None:
    """A bug with its trace; a database outage in one line (it repeats on every request)."""
    if found is None:
        logger.error("%s %s failed", scope.get("method"), scope.get("path"), exc_info=error)
    else:
        logger.warning("%s %s: %s (%s: %s)", scope.get("method"), scope.get("path"),
                       found.reason, type(error).__name__, _first_line(error))


def _detail(found: Trouble) -> str:
    if found.retry_after is None:
        return f"Unavailable: {found.reason}. Reads still work; the operator must free space."
    return f"Unavailable: {found.reason}; retry after {found.retry_after} s."


def _headers(found: Trouble) -> dict[str, str] | None:
    return {"Retry-After": str(found.retry_after)} if found.retry_after is not None else None


def _first_line(error: BaseException) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0][:200] if lines else ""

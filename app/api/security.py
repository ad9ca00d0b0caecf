"""Response hardening and per-client rate limiting, as plain ASGI middleware.

Security headers go on every answer; the pages (docs, dashboard: they run scripts) get a Content
Security Policy that only allows this server, so a compromised bundle could not call out.
The rate limiter is a token bucket per client address, off unless configured: local use
should never meet a 429, a public deployment should be able to turn one on. The buckets live
in each worker process, so with N workers a client may get up to N times the limit (each
connection lands on one worker); put the limit in the reverse proxy for an exact one. The
client address is the socket's peer unless ``FRONTWIRE_FORWARDED_ALLOW_IPS`` names the proxy
(``frontwire serve`` passes it to uvicorn). At most ``MAX_CLIENTS`` buckets are kept, least
recently seen dropped first, so a flood of addresses costs bounded memory.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_PATHS = ("/docs", "/redoc", "/dashboard", "/static")  # pages that run scripts
PAGE_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = scope["path"].startswith(PAGE_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                headers.setdefault("Content-Security-Policy", PAGE_POLICY if page else API_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass
class _Bucket:
    tokens: float
    updated: float


MAX_CLIENTS = 10_000  # buckets kept per worker: a few MB at most


class RateLimitMiddleware:
    """At most ``per_minute`` requests per client address, with bursts up to that many."""

    def __init__(self, app: ASGIApp, per_minute: int, max_clients: int = MAX_CLIENTS) -> None:
        self.app, self.per_minute, self.max_clients = app, per_minute, max_clients
        self.rate = per_minute / 60.0
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_minute <= 0:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self._take(client)
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            body = (b'{"detail":"Too many requests: at most %d per minute; retry after %s s."}'
                    % (self.per_minute, retry.encode()))
            await send({"type": "http.response.start", "status": 429, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", retry.encode()),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    def _take(self, client: str) -> float:
        """Spend one token; 0 when allowed, else the seconds until a token is free."""
        now = time.monotonic()
        with self.lock:
            bucket = self.buckets.get(client) or _Bucket(float(self.per_minute), now)
            bucket.tokens = min(float(self.per_minute),
                                bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self.buckets[client] = bucket
            self.buckets.move_to_end(client)
            while len(self.buckets) > self.max_clients:  # the least recently seen has refilled most
                self.buckets.popitem(last=False)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

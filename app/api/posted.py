"""The body of ``POST /v1/articles``: JSON ``{text, ...}``, or the article as raw text or HTML.

FastAPI would parse only JSON and answer any other body with a puzzling 422, so the body is
read here: the Content-Type is checked first (415 with what to send instead), the body is
read in chunks and abandoned as soon as it passes the size limit (413, before it is all in
memory), and JSON schema errors answer 422 in the app's usual shape. Decoding and the
binary checks run later, in the worker thread, so a large body never blocks the event loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import Message
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session

from app.api.deps import SettingsDep
from app.ingestion import (
    ArticleMeta,
    ArticleTooLarge,
    ExtractionTimeout,
    Ingested,
    Ingestor,
    UnsupportedContent,
    WorkerLost,
    check_size,
)
from app.schemas import ArticleIn

JSON = "application/json"
RAW_TYPES = {"text/plain": False, "text/html": True}  # media type -> is HTML
JSON_ESCAPE_FACTOR = 6  # "\uXXXX" is six bytes for one character
JSON_SLACK = 64 * 1024  # room for the metadata fields
POST_DESCRIPTION = (
    "Send `application/json` `{text, title?, ...}`, or the article itself as `text/plain` or "
    "`text/html` (metadata is then read from the text). Errors answer `{\"detail\": ...}`: "
    "400 empty or unreadable, 413 over the size limit, 415 binary content or another "
    "Content-Type, 422 a JSON body that does not match the schema or an article whose "
    "extraction ran past FRONTWIRE_EXTRACTION_TIMEOUT (`extraction exceeded 60 s`; nothing "
    "is stored), 503 the extraction worker died. An article that is not in English is stored "
    "with its `language` and no events or figures."
)


@dataclass(frozen=True)
class PostedArticle:
    """A posted article: the parsed JSON body, or the raw bytes of a text/HTML body."""

    json_body: ArticleIn | None = None
    raw: bytes = b""
    charset: str | None = None
    html: bool | None = None


def request_body_schema() -> dict[str, Any]:
    """The OpenAPI ``requestBody``: the three media types this endpoint reads."""
    raw = {"schema": {"type": "string", "minLength": 1}}
    return {"required": True, "content": {JSON: {"schema": ArticleIn.model_json_schema()},
                                          "text/plain": raw, "text/html": raw}}


async def read_posted(request: Request, settings: SettingsDep) -> PostedArticle:
    """Check the Content-Type, read the body within its size limit, parse JSON."""
    media, charset = _content_type(request.headers.get("content-type"))
    limit = settings.max_article_bytes
    if media == JSON:
        data = await _read_limited(request, limit * JSON_ESCAPE_FACTOR + JSON_SLACK, limit)
        return PostedArticle(json_body=_parse_json(data))
    if media in RAW_TYPES:
        data = await _read_limited(request, limit, limit)
        return PostedArticle(raw=data, charset=charset, html=RAW_TYPES[media])
    raise HTTPException(415, f"Unsupported Content-Type {media!r}: send application/json "
                             "{\"text\": ...}, text/plain or text/html.")


PostedDep = Annotated[PostedArticle, Depends(read_posted)]


def _content_type(header: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header; no header means JSON."""
    if not header:
        return JSON, None
    message = Message()
    message["content-type"] = header
    media = message.get_content_type()
    if media.startswith("application/") and media.endswith("+json"):
        media = JSON
    charset = message.get_param("charset")
    return media, charset if isinstance(charset, str) else None


async def _read_limited(request: Request, max_body: int, article_limit: int) -> bytes:
    """The body, or 413 as soon as it is longer than ``max_body`` bytes."""
    too_large = HTTPException(413, f"Article over {article_limit} bytes "
                                   "(FRONTWIRE_MAX_ARTICLE_BYTES).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_json(data: bytes) -> ArticleIn:
    """The JSON body as ``ArticleIn``; 422 in the app's error shape when it does not fit."""
    try:
        payload = json.loads(data)
    except ValueError:
        raise RequestValidationError([{"loc": ("body",), "msg": "Body is not valid JSON",
                                       "type": "json_invalid"}]) from None
    try:
        return ArticleIn.model_validate(payload)
    except ValidationError as error:
        errors = [{"loc": ("body", *e["loc"]), "msg": e["msg"], "type": e["type"]}
                  for e in error.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def ingest_posted(ingestor: Ingestor, session: Session, posted: PostedArticle, max_bytes: int,
                  timeout: float | None = None) -> Ingested:
    """Run the ingestion service on a posted article (sync: runs in a worker thread);
    extraction gets ``timeout`` seconds."""
    body = posted.json_body
    if body is None:
        return ingestor.ingest_bytes(session, posted.raw, max_bytes=max_bytes,
                                     charset=posted.charset, html=posted.html, timeout=timeout)
    check_size(len(body.text.encode("utf-8")), max_bytes)
    overrides = ArticleMeta(title=body.title, author=body.author, publisher=body.publisher,
                            published=body.published, url=body.url)
    return ingestor.ingest_text(session, body.text, overrides, timeout=timeout)


def error_status(error: Exception) -> int:
    """HTTP status for an ingestion error: 413 too large, 415 not text, 422 past the time
    budget (the article costs too much), 503 a lost worker, else 400."""
    if isinstance(error, ExtractionTimeout):
        return 422
    if isinstance(error, WorkerLost):
        return 503
    if isinstance(error, ArticleTooLarge):
        return 413
    return 415 if isinstance(error, UnsupportedContent) else 400


def one_line(error: Exception) -> str:
    """An error's message on one line: a reason for the client, never a traceback."""
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__

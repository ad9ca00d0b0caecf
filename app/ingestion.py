"""The port between the API and the ingestion half.

The API must never import the pipeline: that would load spaCy and the knowledge files into
every API worker and tie the read side to the extraction code (import-linter checks it). Yet
``POST /v1/articles`` has to run ingestion. So the API speaks only to this module: the errors a
client's input can cause (each answered with its own HTTP status), the metadata a client may
supply, and the ``Ingestor`` protocol; the app factory (``app.main``) plugs the real service
(``app.ingest.service``) in, as a composition root does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlmodel import Session


class UnreadableArticle(ValueError):
    """The input cannot be turned into article text; the message says why (HTTP 400)."""


class UnsupportedContent(UnreadableArticle):
    """The input is not text at all: an image, a PDF, an archive, random bytes (HTTP 415)."""


class ArticleTooLarge(UnreadableArticle):
    """The input is over ``max_article_bytes`` (HTTP 413)."""


class ExtractionTimeout(RuntimeError):
    """An article's extraction ran past the time budget; its worker was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction exceeded {seconds:g} s")
        self.seconds = seconds


class WorkerLost(RuntimeError):
    """The worker exited without answering (killed from outside, out of memory, a crash)."""


INGESTION_ERRORS = (UnreadableArticle, ExtractionTimeout, WorkerLost)


def check_size(size: int, limit: int) -> None:
    """Refuse an article of ``size`` bytes over ``limit`` before any work is done on it."""
    if size > limit:
        raise ArticleTooLarge(f"too large: {size} bytes, the limit is {limit} "
                              "(FRONTWIRE_MAX_ARTICLE_BYTES)")


@dataclass(frozen=True)
class ArticleMeta:
    """What the reader found about the article besides its body (or what a client gave)."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str = "en"
    url: str | None = None


class Ingested(Protocol):
    """What the API reads back from an ingestion."""

    @property
    def article_id(self) -> int: ...

    @property
    def created(self) -> bool: ...

    @property
    def extraction(self) -> str: ...


class Ingestor(Protocol):
    """Store one article with everything extracted from it (``app.ingest.service``)."""

    def ingest_text(self, session: Session, raw: str, overrides: ArticleMeta | None = None, *,
                    html: bool | None = None, timeout: float | None = None) -> Ingested: ...

    def ingest_bytes(self, session: Session, data: bytes, overrides: ArticleMeta | None = None,
                     *, max_bytes: int,
                     charset: str | None = None, html: bool | None = None,
                     timeout: float | None = None) -> Ingested: ...

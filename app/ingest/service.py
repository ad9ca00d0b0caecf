"""Ingest one article end to end: read, skip if known, extract, store.

Shared by the CLI and ``POST /v1/articles`` so both apply the same rules. Reading is cheap
and comes first, so a duplicate is recognised before any language model runs, and a
non-English article is stored without extraction: the extractors read English only, and
an article in another language must not come back with invented events or figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from app.ingest.store import StoreResult, find_existing, store_draft
from app.ingest.text.language import ENGLISH
from app.ingest.text.read import check_text, decode, read_article
from app.ingest.types import ArticleDraft, CleanText
from app.ingestion import ArticleMeta, UnreadableArticle, check_size
from app.models import Article

EXTRACTION_DONE = "done"

if TYPE_CHECKING:
    from app.ingest.worker_pool import ExtractionPool


@dataclass(frozen=True)
class IngestResult(StoreResult):
    """What the store did, plus the article's language (only English is extracted)."""

    language: str = ENGLISH

    @property
    def extracted(self) -> bool:
        """False when the article was stored without running extraction (not English)."""
        return self.language == ENGLISH

    @property
    def extraction(self) -> str:
        """What extraction did, in words a client can show: "done" or why it was skipped.

        A POST of a French article answers 201 with no events; without this the client
        cannot tell "nothing happened here" from "nothing was looked for".
        """
        return EXTRACTION_DONE if self.extracted else f"skipped: language {self.language}"


def ingest_text(session: Session, raw: str, overrides: ArticleMeta | None = None, *,
                html: bool | None = None, timeout: float | None = None) -> IngestResult:
    """Store ``raw`` (plain text or HTML) with everything extracted from it, once.

    Extraction runs in a worker process within ``timeout`` seconds (default
    FRONTWIRE_EXTRACTION_TIMEOUT); past it ``ExtractionTimeout`` is raised and nothing is
    stored, since the store only runs once a whole draft exists.
    """
    clean = read_article(check_text(raw), overrides, html=html)
    existing = find_existing(session, clean.text)
    if existing is not None:
        return _known(existing)
    return _stored(session, _draft(clean, timeout))


def ingest_bytes(session: Session, data: bytes, overrides: ArticleMeta | None = None, *,
                 max_bytes: int, charset: str | None = None, html: bool | None = None,
                 timeout: float | None = None) -> IngestResult:
    """Like ``ingest_text`` for a file's bytes: size limit, encoding and binary checks first."""
    check_size(len(data), max_bytes)
    return ingest_text(session, decode(data, charset), overrides, html=html, timeout=timeout)


def _budget(timeout: float | None) -> float:
    from app.config import get_settings

    return timeout if timeout is not None else get_settings().extraction_timeout


def _draft(clean: CleanText, timeout: float | None = None) -> ArticleDraft:
    """The extraction of an English article (in the worker, within the time budget); an
    empty draft for any other language."""
    if clean.meta.language != ENGLISH:
        return ArticleDraft(clean=clean, sentences=())
    from app.ingest.worker_pool import extract_one

    return extract_one(clean, _budget(timeout))


CHUNK = 256  # texts read ahead of extraction: bounds memory on a corpus of any size


def ingest_many(session: Session, items: Iterable[tuple[str, ArticleMeta | None]], *,
                processes: int = 1, html: bool | None = None, timeout: float | None = None
                ) -> Iterator[tuple[int, IngestResult | Exception]]:
    """``ingest_text`` over many texts, extracting in worker processes; yields as stored.

    Yields ``(index, result)`` for every input, the result being the ``IngestResult`` or the
    exception that text raised (unreadable, or an extraction error), so a batch goes on past
    a bad article. Reading, the duplicate check and storing stay in this process (one writer,
    one transaction per article); only English articles go to the workers, each within the
    time budget (an article past it yields ``ExtractionTimeout``).
    """
    from app.ingest.worker_pool import ExtractionPool

    numbered = enumerate(items)
    pool = ExtractionPool(processes)
    try:
        while chunk := list(itertools.islice(numbered, CHUNK)):
            yield from _ingest_chunk(session, chunk, pool, html, _budget(timeout))
    finally:
        pool.close()


def _ingest_chunk(session: Session, chunk: list[tuple[int, tuple[str, ArticleMeta | None]]],
                  pool: ExtractionPool, html: bool | None, timeout: float
                  ) -> Iterator[tuple[int, IngestResult | Exception]]:
    queued: list[tuple[int, CleanText]] = []
    for index, (raw, overrides) in chunk:
        try:
            clean = read_article(check_text(raw), overrides, html=html)
        except (UnreadableArticle, ValueError, TypeError) as error:
            yield index, error
            continue
        existing = find_existing(session, clean.text)
        if existing is not None:
            yield index, _known(existing)
        elif clean.meta.language != ENGLISH:
            yield index, _stored(session, _draft(clean))
        else:
            queued.append((index, clean))
    drafts = pool.extract([clean for _, clean in queued], timeout)
    for (index, _), draft in zip(queued, drafts, strict=True):
        yield index, draft if isinstance(draft, Exception) else _stored(session, draft)


def _known(article: Article) -> IngestResult:
    """The answer for a text already stored: nothing new was written."""
    return IngestResult(article.id or 0, False, 0, 0, article.language)


def _stored(session: Session, draft: ArticleDraft) -> IngestResult:
    stored = store_draft(session, draft)
    return IngestResult(stored.article_id, stored.created, stored.events, stored.figures,
                        draft.clean.meta.language)

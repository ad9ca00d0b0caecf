"""Ingest one article end to end: read, skip if known, extract, store.

Shared by the CLI and ``POST /v1/articles`` so both apply the same rules. Reading is cheap
and comes first, so a duplicate is recognised before any language model runs.
"""

from __future__ import annotations

from sqlmodel import Session

from app.ingest.read import read_article
from app.ingest.store import StoreResult, find_existing, store_draft
from app.ingest.types import ArticleMeta


def ingest_text(session: Session, raw: str, overrides: ArticleMeta | None = None) -> StoreResult:
    """Store ``raw`` (plain text or HTML) with everything extracted from it, once."""
    from app.ingest.pipeline import draft_from_clean

    clean = read_article(raw, overrides)
    existing = find_existing(session, clean.text)
    if existing is not None:
        return StoreResult(existing.id or 0, False, 0, 0)
    return store_draft(session, draft_from_clean(clean))

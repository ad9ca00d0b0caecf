"""What the database holds: reachability, record counts and the last ingest, for meta."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from app.models import Actor, Article, Event, Figure, Place


def database_ok(session: Session) -> bool:
    session.exec(select(func.count()).select_from(Article)).one()
    return True


def counts(session: Session) -> dict[str, int]:
    """Rows per record type."""
    return {name: session.exec(select(func.count()).select_from(model)).one()
            for name, model in (("articles", Article), ("events", Event), ("figures", Figure),
                                ("places", Place), ("actors", Actor))}


def last_ingest(session: Session) -> datetime | None:
    return session.exec(select(func.max(Article.ingested_at))).one()

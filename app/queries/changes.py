"""The change feed: what was created, updated or deleted since a point, in commit order.

A client mirrors frontwire by remembering the last ``seq`` it applied and asking again
with ``after=seq``; sequence numbers only grow, so nothing is skipped or seen twice. The
newest log id is also the data version: any write changes it, which is what ETags are made
of.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.models import Change, Event, Figure
from app.queries.paging import PageResult, keyset_page
from app.schemas import ChangePublic


def list_changes(session: Session, *, since: datetime | None, after: int | None,
                 entity: Sequence[str], limit: int, cursor: str | None = None) -> PageResult:
    """Log rows after sequence number ``after`` and/or at or after time ``since``."""
    statement = select(Change)
    if after is not None:
        statement = statement.where(col(Change.id) > after)
    if since is not None:
        statement = statement.where(col(Change.at) >= since)
    if entity:
        statement = statement.where(col(Change.entity).in_(entity))
    return keyset_page(session, statement, col(Change.id), limit=limit, cursor=cursor,
                       count=False, build=lambda rows: [ChangePublic(
                           seq=row.id or 0, entity=row.entity, id=row.entity_id,
                           action=row.action, at=row.at) for row in rows])


def data_version(session: Session) -> str:
    """A stamp that changes with every write: the newest change-log, event and figure ids.

    Writes through frontwire add change-log rows (deletions too); bulk loads that bypass the
    log (``bench/synth.py``) still move the newest event or figure id. Three index lookups,
    read by every ETag and by the aggregation cache.
    """
    newest = session.exec(select(
        select(func.max(Change.id)).scalar_subquery(),
        select(func.max(Event.id)).scalar_subquery(),
        select(func.max(Figure.id)).scalar_subquery())).one()
    return ".".join(str(n or 0) for n in newest)

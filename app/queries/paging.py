"""Keyset paging: opaque cursors and the page a list query returns.

A cursor is the last row's sort key (its id and, when sorting by date, its sort date), so a
page never shifts or repeats when rows are inserted meanwhile, unlike OFFSET paging.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

MAX_ID = 2**31 - 1  # ids are INTEGER columns (32-bit on PostgreSQL)
MAX_CURSOR_LENGTH = 2048  # ids, a date and a claims group key fit many times over


class InvalidCursor(ValueError):
    """The cursor was not produced by this API."""


def encode_cursor(last_id: int, day: date | None = None, key: str | None = None) -> str:
    """An opaque cursor: the last row's id, plus its sort date or group key when sorted so."""
    payload: dict[str, Any] = {"id": last_id}
    if day is not None:
        payload["d"] = day.isoformat()
    if key is not None:
        payload["k"] = key
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def cursor_payload(cursor: str) -> dict[str, Any]:
    """The decoded cursor; raises ``InvalidCursor`` for anything this API did not issue.

    A cursor comes from the client, so it is checked before any of it reaches SQL or the
    JSON parser's recursion: a bounded length (ours are under 300 characters), an object,
    an ``id`` that is a real integer in the id columns' range (``True`` is an int in Python,
    2**63 overflows SQLite and PostgreSQL alike), a ``d`` that is an ISO date, a string ``k``.
    """
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("cursor is not a value returned in next_cursor")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(payload, dict) or not _is_id(payload.get("id")):
            raise TypeError("no id")
        if "d" in payload:
            date.fromisoformat(payload["d"])
        if not isinstance(payload.get("k", ""), str):
            raise TypeError("bad key")
        return payload
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidCursor("cursor is not a value returned in next_cursor") from error


def _is_id(value: Any) -> bool:
    """An id as stored: a plain int (not a bool) that fits the 32-bit id columns."""
    return type(value) is int and 0 <= value <= MAX_ID


def decode_cursor(cursor: str | None) -> int | None:
    """The last id of the previous page, or None on the first page."""
    return cursor_payload(cursor)["id"] if cursor else None


@dataclass
class PageResult:
    items: list[Any] = field(default_factory=list)
    next_cursor: str | None = None
    total: int | None = None


def keyset_page(session: Session, base: Any, id_column: Any, *, limit: int,
                cursor: str | None, count: bool, build: Callable[[list[Any]], list[Any]],
                row_id: Callable[[Any], int] = lambda row: row.id) -> PageResult:
    """One page of ``base`` in ``id_column`` order after ``cursor``.

    ``build`` turns the page's rows into public shapes all at once, so related rows can be
    loaded with one query per page; one extra row is fetched only to know a next page exists.
    """
    statement = base
    if cursor:
        statement = statement.where(id_column > cursor_payload(cursor)["id"])
    rows = list(session.exec(statement.order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    return PageResult(items=build(rows[:limit]),
                      next_cursor=encode_cursor(row_id(rows[limit - 1])) if more else None,
                      total=count_rows(session, base) if count else None)


def count_rows(session: Session, statement: Any) -> int:
    """How many rows ``statement`` matches (before paging), for ``count=true``."""
    subquery = statement.order_by(None).limit(None).subquery()
    return session.exec(select(func.count()).select_from(subquery)).one()


EXPORT_BATCH = 500


def iter_batches(session: Session, model: Any, conditions: list[Any], *,
                 limit: int | None = None, after: int | None = None) -> Iterator[list[Any]]:
    """Matching rows in id order, ``EXPORT_BATCH`` at a time by keyset: constant memory.

    Rows are plain rows of the model's columns (attribute access like the model), not ORM
    objects: exports stream many thousands and mapping each one costs more than reading it.
    """
    remaining = limit
    columns = tuple(model.__table__.c)
    while remaining is None or remaining > 0:
        size = EXPORT_BATCH if remaining is None else min(EXPORT_BATCH, remaining)
        statement = select(*columns).where(*conditions)
        if after is not None:
            statement = statement.where(model.id > after)
        rows = list(session.exec(statement.order_by(model.id).limit(size)))
        if not rows:
            return
        yield rows
        after = rows[-1].id
        remaining = None if remaining is None else remaining - len(rows)
        session.expunge_all()

"""Engines and sessions: one engine per database URL, SQLite tuned on every connection."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event, exc, make_url
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MMAP_BYTES = 1 << 30  # address space, not memory: only touched pages are read
CONNECT_TIMEOUT_S = 5


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run while one writer writes; busy_timeout waits instead of failing.

    Reads at scale: the file is memory-mapped (pages come from the OS cache without a copy,
    shared by every connection and worker process), each pooled connection keeps 32 MB of
    pages, and sorts and temporary b-trees stay in memory.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """A pooled engine for ``url``; cached so every caller shares its pool."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Room for every request thread of a worker (anyio's pool is 40) without queueing long;
    # a server that does not answer fails a connection in seconds (503), not minutes.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20, pool_timeout=10,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """FastAPI dependency: a session on the app's engine, closed after the request.

    Async on purpose: a sync generator dependency costs two thread-pool hops per request;
    making a Session does no I/O (it connects on first use, in the route's thread).
    """
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class Trouble:
    """A database failure the client did not cause: what to answer and why, in words safe
    to show (never the driver's message, which can name files and SQL)."""

    status: int
    reason: str
    retry_after: int | None = None


UNREACHABLE = Trouble(503, "the database is unreachable", retry_after=5)
BUSY = Trouble(503, "the database is busy", retry_after=5)
FULL = Trouble(507, "the database's storage is full: nothing was written")
SQLITE_UNAVAILABLE = {sqlite3.SQLITE_BUSY: BUSY, sqlite3.SQLITE_LOCKED: BUSY,
                      sqlite3.SQLITE_PROTOCOL: BUSY, sqlite3.SQLITE_IOERR: UNREACHABLE,
                      sqlite3.SQLITE_CANTOPEN: UNREACHABLE, sqlite3.SQLITE_NOMEM: UNREACHABLE,
                      sqlite3.SQLITE_READONLY: UNREACHABLE, sqlite3.SQLITE_FULL: FULL}
PG_DISK_FULL = "53100"
PG_UNAVAILABLE = ("08", "53", "57P")  # connection exceptions, no resources, shutting down
PG_RETRY = ("40001", "40P01")  # serialization failure, deadlock: try again


def trouble(error: BaseException) -> Trouble | None:
    """The 503/507 a database error deserves, or None when it is a bug (500).

    Classified by the driver's error code, not by the exception class alone: SQLite raises
    OperationalError for a syntax error too, and that is ours to fix, not the client's.
    """
    if isinstance(error, exc.TimeoutError):  # every pooled connection in use
        return BUSY
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return UNREACHABLE
    cause = getattr(error, "orig", None) or error
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        return None if code is None else SQLITE_UNAVAILABLE.get(code & 0xFF)
    return _postgres_trouble(cause)


def _postgres_trouble(cause: BaseException) -> Trouble | None:
    import psycopg

    if not isinstance(cause, psycopg.Error):
        return None
    state = cause.sqlstate
    if state == PG_DISK_FULL:
        return FULL
    if state is None:  # raised by the client library: refused, closed, lost
        lost = isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError)
        return UNREACHABLE if lost else None
    if state.startswith(PG_UNAVAILABLE):
        return UNREACHABLE
    return BUSY if state in PG_RETRY else None


MIN_FREE_BYTES = 64 * 1024  # under this no article fits: each touches dozens of 4 KB pages


class WriteHealth:
    """Why writes fail in this process, for ``/health``: the last write that found the
    storage full, until a write succeeds again."""

    def __init__(self) -> None:
        self.failure: str | None = None

    def observe(self, method: str, status: int) -> None:
        """Called with every answer: a stored (201) or deleted (204) record clears it."""
        if method in ("POST", "DELETE") and status in (201, 204):
            self.failure = None
        elif status == FULL.status:
            self.failure = FULL.reason


def storage_shortage(url: str) -> str | None:
    """Why a write to a SQLite file would fail for lack of room now, else None.

    Seen without writing: the free space of the file system the database lives on (a
    PostgreSQL server's disks are not visible from here; its failures are observed instead).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    try:
        free = shutil.disk_usage(Path(parsed.database).resolve().parent).free
    except OSError:
        return None
    return None if free >= MIN_FREE_BYTES else f"{free} bytes free where the database lives"

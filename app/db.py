"""Engines and sessions: one engine per database URL, SQLite tuned on every connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MMAP_BYTES = 1 << 30  # address space, not memory: only touched pages are read


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
    # Room for every request thread of a worker (anyio's pool is 40) without queueing long.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20, pool_timeout=10)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """FastAPI dependency: a session on the app's engine, closed after the request.

    Async on purpose: a sync generator dependency costs two thread-pool hops per request;
    making a Session does no I/O (it connects on first use, in the route's thread).
    """
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

"""The schema exists only through Alembic: up, down and up again must work on every backend,
and the migrated schema must be the one the models describe (no drift)."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

import app.models  # noqa: F401  (registers the tables on the metadata)
from app.migrate import downgrade, upgrade
from app.models import metadata

MODEL_TABLES = set(metadata.tables)


def _hand_made(name: str | None) -> bool:
    """Search tables (SQLite FTS5 and its shadow tables) are made by SQL, not by the models."""
    return name is not None and "_fts" in name


def _tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    return {name for name in names if not _hand_made(name)}


def test_models_describe_the_core_tables() -> None:
    assert {"article", "event", "place", "actor", "event_actor", "figure"} <= MODEL_TABLES


def test_upgrade_creates_every_table_and_downgrade_removes_them(database_url: str) -> None:
    assert _tables(database_url) == MODEL_TABLES
    downgrade(database_url, "base")
    assert _tables(database_url) == set()
    upgrade(database_url)
    assert _tables(database_url) == MODEL_TABLES


def test_each_revision_downgrades_one_step(database_url: str) -> None:
    """Walking down one revision at a time and back up catches a broken single downgrade."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(database_url))
    revisions = [rev.revision for rev in script.walk_revisions()]  # newest first
    assert revisions[-1] == "0001"
    for revision in revisions:
        downgrade(database_url, "-1")
        assert revision not in _current(database_url)
    upgrade(database_url)
    assert _current(database_url) == {revisions[0]}


def _current(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def _include(_object: object, name: str | None, type_: str, _reflected: bool,
             _compare_to: object) -> bool:
    if type_ == "table" and _hand_made(name):
        return False
    return not (type_ == "index" and name is not None and name.endswith("_fts"))


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # PostgreSQL's expression (GIN) indexes cannot be reflected; Alembic says so.
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            context = MigrationContext.configure(
                conn, opts={"include_object": _include, "compare_type": False})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_filter_columns_are_indexed(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        indexes = inspect(engine).get_indexes("event")
    finally:
        engine.dispose()
    indexed = {tuple(ix["column_names"]) for ix in indexes}
    assert ("article_id",) in indexed
    assert ("type",) in indexed
    assert ("country", "date_start") in indexed


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("pragma", "expected"), [
    ("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 30000),
])
def test_sqlite_connections_are_tuned(tmp_path: object, pragma: str, expected: object) -> None:
    """WAL + busy_timeout are what let readers and a writer share one SQLite file."""
    from pathlib import Path

    from app.db import get_engine

    assert isinstance(tmp_path, Path)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected
    finally:
        engine.dispose()

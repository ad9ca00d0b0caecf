"""The schema exists only through Alembic: up, down and up again must work on every backend,
and the migrated schema must be the one the models describe (no drift)."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
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


def _rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _insert_duplicate_places(url: str) -> None:
    """What 0003's NULL-blind key let in: a country and a sea stored more than once."""
    engine = create_engine(url, poolclass=NullPool)
    places = [(1, "Burkina Faso", "country", "BF", None, None, None),
              (2, "Burkina Faso", "country", "BF", None, 12.5, -1.7),
              (3, "Red Sea", "area", None, None, 20.0, 38.0),
              (4, "Burkina Faso", "country", "BF", None, None, None),
              (5, "Red Sea", "area", None, None, None, None),
              (6, "Djibo", "settlement", "BF", "Sahel", 14.1, -1.6)]
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO article (id, language, sha256, text, ingested_at, "
                              "updated_at) VALUES (1, 'en', :sha, 'x', :now, :now)"),
                         {"sha": "a" * 64, "now": OLD})
            conn.execute(text("INSERT INTO place (id, name, kind, country, admin1, lat, lon) "
                              "VALUES (:i, :n, :k, :c, :a, :lat, :lon)"),
                         [dict(zip(("i", "n", "k", "c", "a", "lat", "lon"), p, strict=True))
                          for p in places])
            conn.execute(text(
                "INSERT INTO event (id, article_id, place_id, type, date_precision, "
                "sentence_index, excerpt_text, excerpt_start, excerpt_end, created_at, "
                "updated_at) VALUES (:id, 1, :place, 'shelling', 'unknown', 0, 'x', 0, 1, "
                ":now, :now)"), [{"id": place, "place": place, "now": OLD} for place in
                                 range(1, 7)])
    finally:
        engine.dispose()


OLD = datetime(2024, 1, 1, tzinfo=UTC)


def test_0004_merges_places_whose_keys_differed_only_by_nulls(database_url: str) -> None:
    downgrade(database_url, "0003")
    _insert_duplicate_places(database_url)
    upgrade(database_url)
    assert _rows(database_url, "SELECT id, name, lat, lon FROM place ORDER BY id") == [
        (1, "Burkina Faso", 12.5, -1.7), (3, "Red Sea", 20.0, 38.0), (6, "Djibo", 14.1, -1.6)]
    assert _rows(database_url, "SELECT id, place_id FROM event ORDER BY id") == [
        (1, 1), (2, 1), (3, 3), (4, 1), (5, 3), (6, 6)]
    assert _rows(database_url, "SELECT entity_id, action FROM change_log "
                               "WHERE entity = 'event' ORDER BY id") == [
        (2, "updated"), (4, "updated"), (5, "updated")]
    moved = _rows(database_url, "SELECT id, updated_at FROM event ORDER BY id")
    assert [row[0] for row in moved if _aware(row[1]) > OLD] == [2, 4, 5]
    downgrade(database_url, "0003")
    upgrade(database_url)
    assert len(_rows(database_url, "SELECT id FROM place")) == 3


def _aware(value: object) -> datetime:
    """A timestamp as read back: SQLite gives naive UTC (sometimes as text), PostgreSQL aware."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_place_key_refuses_a_second_country_or_sea(database_url: str) -> None:
    """The schema itself, not only the store, refuses a NULL-keyed duplicate."""
    from sqlalchemy.exc import IntegrityError

    engine = create_engine(database_url, poolclass=NullPool)
    insert = text("INSERT INTO place (name, kind, country, admin1) VALUES (:n, :k, :c, NULL)")
    try:
        for name, kind, country in (("Burkina Faso", "country", "BF"), ("Red Sea", "area", None)):
            with engine.begin() as conn:
                conn.execute(insert, {"n": name, "k": kind, "c": country})
            with pytest.raises(IntegrityError), engine.begin() as conn:
                conn.execute(insert, {"n": name, "k": kind, "c": country})
    finally:
        engine.dispose()


def _insert_old_event(url: str, event_id: int, words: str) -> None:
    """An event and its figure as migration 0004 left them (no mention, no scope)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO article (id, language, sha256, text, ingested_at, "
                              "updated_at) VALUES (:id, 'en', :sha, :t, :now, :now)"),
                         {"id": event_id, "sha": str(event_id) * 64, "t": words, "now": OLD})
            conn.execute(text(
                "INSERT INTO event (id, article_id, type, date_precision, sentence_index, "
                "excerpt_text, excerpt_start, excerpt_end, created_at, updated_at) VALUES "
                "(:id, :id, 'shelling', 'unknown', 0, :t, 0, :n, :now, :now)"),
                {"id": event_id, "t": words, "n": len(words), "now": OLD})
            conn.execute(text(
                'INSERT INTO figure (article_id, event_id, unit, counts, hedged, text, start, '
                '"end", excerpt_text, excerpt_start, excerpt_end, created_at, updated_at) '
                "VALUES (:id, :id, 'person', 'killed', false, 'two', 0, 3, :t, 0, :n, :now, "
                ":now)"), {"id": event_id, "t": words, "n": len(words), "now": OLD})
    finally:
        engine.dispose()


def _searchable(url: str, word: str) -> list[int]:
    """Event ids the full-text index finds (SQLite FTS5 kept by triggers; PostgreSQL GIN)."""
    if url.startswith("sqlite"):
        sql = f"SELECT rowid FROM event_fts WHERE event_fts MATCH '{word}' ORDER BY rowid"
    else:
        sql = (f"SELECT id FROM event WHERE to_tsvector('english', excerpt_text) @@ "
               f"to_tsquery('english', '{word}') ORDER BY id")
    return [row[0] for row in _rows(url, sql)]


def test_0005_gives_old_events_a_mention_and_keeps_search_in_step(database_url: str) -> None:
    """Old rows get their excerpt as their one mention, scope event, not background; the
    SQLite table rebuilds keep the FTS triggers, up and down."""
    downgrade(database_url, "0004")
    _insert_old_event(database_url, 1, "Rebels shelled the convoy.")
    upgrade(database_url)
    assert _rows(database_url, 'SELECT event_id, position, start, "end", text '
                               "FROM event_mention") == [
        (1, 0, 0, 26, "Rebels shelled the convoy.")]
    assert _rows(database_url, "SELECT scope FROM figure") == [("event",)]
    assert [bool(b) for (b,) in _rows(database_url, "SELECT background FROM event")] == [False]
    assert _rows(database_url, "SELECT fatalities, actor1_id, incident_id FROM event") == [
        (None, None, None)]
    _insert_old_event(database_url, 2, "Drones hit the convoy again.")
    assert _searchable(database_url, "convoy") == [1, 2]
    downgrade(database_url, "0004")
    _insert_old_event(database_url, 3, "Artillery struck the convoy at dawn.")
    assert _searchable(database_url, "convoy") == [1, 2, 3]
    upgrade(database_url)
    assert len(_rows(database_url, "SELECT event_id FROM event_mention")) == 3

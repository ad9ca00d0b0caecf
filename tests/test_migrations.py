"""The schema exists only through Alembic: up, down and up again must all work."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from app.migrate import downgrade, upgrade

TABLES = {"article", "event", "place", "actor", "event_actor", "figure"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_and_downgrade_removes_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    assert _tables(url) == TABLES
    downgrade(url, "base")
    assert _tables(url) == set()
    upgrade(url)
    assert _tables(url) == TABLES


def test_filter_columns_are_indexed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = create_engine(url)
    indexed = {tuple(ix["column_names"]) for ix in inspect(engine).get_indexes("event")}
    engine.dispose()
    assert ("article_id",) in indexed
    assert ("type",) in indexed
    assert ("country", "date_start") in indexed

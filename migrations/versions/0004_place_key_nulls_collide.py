"""place key: a missing country or admin1 collides like any other value

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:00:00

``uq_place_key`` was UNIQUE (name, kind, country, admin1). admin1 is NULL for every country
(and country for seas and areas), and SQL never finds two NULLs equal, so eight concurrent
POSTs naming Burkina Faso could store the country twice. The key becomes a unique index over
(name, kind, coalesce(country, ''), coalesce(admin1, '')) on both databases (PostgreSQL's
NULLS NOT DISTINCT would do there, but SQLite has no such clause).

Before the index can exist, the duplicates it would refuse are merged: the lowest id of each
key is kept (given coordinates from a duplicate when it has none), events are re-pointed to
it, stamped updated and logged in ``change_log`` (so mirrors and ``updated_since`` see the
new place id), and the duplicates are deleted. Events are the only rows that reference a
place. Actors need nothing: their key (name, kind) has no nullable column.

SQLite cannot reflect expression indexes, so a later batch migration of ``place`` on SQLite
must drop ``uq_place_key`` first and create it again afterwards (as the downgrade here does).
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEY = "name, kind, coalesce(country, ''), coalesce(admin1, '')"


def upgrade() -> None:
    _merge_duplicate_places(op.get_bind())
    with op.batch_alter_table("place") as batch_op:
        batch_op.drop_constraint("uq_place_key", type_="unique")
    op.create_index("uq_place_key", "place",
                    ["name", "kind", sa.text("coalesce(country, '')"),
                     sa.text("coalesce(admin1, '')")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_place_key", table_name="place")
    with op.batch_alter_table("place") as batch_op:
        batch_op.create_unique_constraint("uq_place_key", ["name", "kind", "country", "admin1"])


def _merge_duplicate_places(conn: sa.Connection) -> None:
    """Fold every group of places sharing a key into its lowest id."""
    groups = conn.execute(sa.text(
        f"SELECT {KEY}, min(id) FROM place GROUP BY {KEY} HAVING count(*) > 1 "
        "ORDER BY min(id)")).all()
    now = datetime.now(UTC)
    for name, kind, country, admin1, _first in groups:
        rows = conn.execute(sa.text(
            "SELECT id, lat, lon, geonames_id FROM place WHERE name = :name AND kind = :kind "
            "AND coalesce(country, '') = :country AND coalesce(admin1, '') = :admin1 "
            "ORDER BY id"), {"name": name, "kind": kind, "country": country,
                             "admin1": admin1}).all()
        _fold(conn, rows[0], rows[1:], now)


def _fold(conn: sa.Connection, keep: Any, duplicates: list[Any], now: datetime) -> None:
    """Re-point the duplicates' events to ``keep``, log them as updated, drop the duplicates."""
    ids = [row.id for row in duplicates]
    located = next((row for row in duplicates if row.lat is not None), None)
    if keep.lat is None and located is not None:
        conn.execute(sa.text("UPDATE place SET lat = :lat, lon = :lon, geonames_id = :gid "
                             "WHERE id = :id"), {"lat": located.lat, "lon": located.lon,
                                                 "gid": located.geonames_id, "id": keep.id})
    in_ids = sa.bindparam("ids", expanding=True)
    events = conn.execute(sa.text("SELECT id FROM event WHERE place_id IN :ids ORDER BY id")
                          .bindparams(in_ids), {"ids": ids}).scalars().all()
    if events:
        conn.execute(sa.text("UPDATE event SET place_id = :keep, updated_at = :now "
                             "WHERE place_id IN :ids").bindparams(in_ids),
                     {"keep": keep.id, "now": now, "ids": ids})
        conn.execute(sa.text("INSERT INTO change_log (entity, entity_id, action, at) "
                             "VALUES ('event', :id, 'updated', :now)"),
                     [{"id": event_id, "now": now} for event_id in events])
    conn.execute(sa.text("DELETE FROM place WHERE id IN :ids").bindparams(in_ids), {"ids": ids})

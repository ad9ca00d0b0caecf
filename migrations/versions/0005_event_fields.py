"""events as analysts code them: actors, fatalities, background, mentions; figure scope

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 23:40:00

- ``event`` gains ``actor1_id`` and ``actor2_id`` (who acted, who was acted upon; FKs to
  ``actor``), ``fatalities`` (deaths this occurrence caused, or NULL), ``background`` (an
  occurrence recalled from more than 30 days before publication; existing rows are not) and
  ``incident_id`` (the cross-article incident: no incident table yet, so no FK);
- ``event_mention`` lists every sentence that reports an event (position 0 is the excerpt);
  existing events get their excerpt as their one mention;
- ``figure`` gains ``scope`` (event|cumulative|breakdown|context; existing rows: event).

Date precision ``reported`` needs no DDL: ``date_precision`` is free text checked by the
vocabulary. On SQLite, ``event`` and ``figure`` are rebuilt (batch mode) to add or drop
foreign keys and indexed columns: that drops the FTS5 triggers of migration 0002, so they
are created again after each rebuild (the FTS tables themselves are untouched, ids kept).
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AUTOINCREMENT = {"sqlite_autoincrement": True}
ACTOR_KEYS = ("actor1_id", "actor2_id")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


@contextmanager
def _rebuilt(table: str) -> Iterator[Any]:
    """A batch over ``table``, rebuilt on SQLite, with AUTOINCREMENT kept.

    Reflecting ``event`` reflects ``place`` through its foreign key, whose expression index
    (migration 0004) SQLAlchemy cannot reflect and warns about: harmless here, the place
    table is not rebuilt.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        with op.batch_alter_table(table, recreate="always" if _sqlite() else "auto",
                                  table_kwargs=AUTOINCREMENT) as batch_op:
            yield batch_op


def upgrade() -> None:
    sqlite = _sqlite()
    with _rebuilt("event") as batch_op:
        for name in ACTOR_KEYS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f"fk_event_{name}_actor", "actor", [name], ["id"])
            batch_op.create_index(f"ix_event_{name}", [name], unique=False)
        batch_op.add_column(sa.Column("fatalities", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("background", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index("ix_event_background", ["background"], unique=False)
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_event_incident_id", ["incident_id"], unique=False)
    with _rebuilt("figure") as batch_op:
        batch_op.add_column(sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default="event"))
        batch_op.create_index("ix_figure_scope", ["scope"], unique=False)
    if sqlite:
        for table in ("event", "figure"):
            _fts_triggers(table)
    _create_mentions()


def downgrade() -> None:
    sqlite = _sqlite()
    op.drop_table("event_mention")
    with _rebuilt("figure") as batch_op:
        batch_op.drop_index("ix_figure_scope")
        batch_op.drop_column("scope")
    with _rebuilt("event") as batch_op:
        batch_op.drop_index("ix_event_incident_id")
        batch_op.drop_index("ix_event_background")
        for column in ("incident_id", "background", "fatalities"):
            batch_op.drop_column(column)
        for name in reversed(ACTOR_KEYS):
            batch_op.drop_index(f"ix_event_{name}")
            batch_op.drop_constraint(f"fk_event_{name}_actor", type_="foreignkey")
            batch_op.drop_column(name)
    if sqlite:
        for table in ("event", "figure"):
            _fts_triggers(table)


def _create_mentions() -> None:
    """The mention table, filled with each existing event's excerpt as position 0."""
    op.create_table(
        "event_mention",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name=op.f("fk_event_mention_event_id_event"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "position", name=op.f("pk_event_mention")),
    )
    op.execute('INSERT INTO event_mention (event_id, position, start, "end", text) '
               "SELECT id, 0, excerpt_start, excerpt_end, excerpt_text FROM event ORDER BY id")


def _fts_triggers(table: str) -> None:
    """Migration 0002's triggers keeping ``{table}_fts`` in step (a rebuild dropped them)."""
    fts = f"{table}_fts"
    op.execute(f"DROP TRIGGER IF EXISTS {fts}_ai")
    op.execute(f"DROP TRIGGER IF EXISTS {fts}_ad")
    op.execute(f"DROP TRIGGER IF EXISTS {fts}_au")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {fts}(rowid, excerpt_text) VALUES (new.id, new.excerpt_text); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, excerpt_text) "
               f"VALUES ('delete', old.id, old.excerpt_text); END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF excerpt_text ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, excerpt_text) "
               f"VALUES ('delete', old.id, old.excerpt_text); "
               f"INSERT INTO {fts}(rowid, excerpt_text) VALUES (new.id, new.excerpt_text); END")

"""sync and search: ids never reused, change log with tombstones, full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:25:00

- article, event and figure get AUTOINCREMENT on SQLite (tables rebuilt; PostgreSQL sequences
  already never reuse ids), so a mirror can key on ids forever;
- ``change_log`` records every created/updated/deleted record in commit order (the feed of
  ``/v1/changes`` and the data version behind ETags); existing rows are logged as created;
- full-text search over excerpts: SQLite FTS5 tables kept in step by triggers, PostgreSQL
  GIN indexes over ``to_tsvector('english', excerpt_text)``.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEARCHABLE = ("event", "figure")
REBUILT = ("article", "event", "figure")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in REBUILT:
            with op.batch_alter_table(table, recreate="always",
                                      table_kwargs={"sqlite_autoincrement": True}):
                pass
    for table in ("event", "figure"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(f"ix_{table}_updated_at", ["updated_at"], unique=False)
    _create_change_log()
    for table in SEARCHABLE:
        if sqlite:
            _create_fts5(table)
        else:
            op.execute(f"CREATE INDEX ix_{table}_excerpt_fts ON {table} "
                       f"USING gin (to_tsvector('english', excerpt_text))")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SEARCHABLE:
        if sqlite:
            for trigger in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
        else:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_excerpt_fts")
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.drop_index("ix_change_log_entity")
        batch_op.drop_index(batch_op.f("ix_change_log_at"))
    op.drop_table("change_log")
    for table in ("event", "figure"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_updated_at")


def _create_change_log() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_change_log_entity", ["entity", "entity_id"], unique=False)
    for table, stamp in (("article", "ingested_at"), ("event", "created_at"),
                         ("figure", "created_at")):
        op.execute(f"INSERT INTO change_log (entity, entity_id, action, at) "
                   f"SELECT '{table}', id, 'created', {stamp} FROM {table} ORDER BY id")


def _create_fts5(table: str) -> None:
    """An external-content FTS5 index over ``excerpt_text``, kept in step by triggers."""
    fts = f"{table}_fts"
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(excerpt_text, content='{table}', "
               f"content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {fts}(rowid, excerpt_text) VALUES (new.id, new.excerpt_text); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, excerpt_text) "
               f"VALUES ('delete', old.id, old.excerpt_text); END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF excerpt_text ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, excerpt_text) "
               f"VALUES ('delete', old.id, old.excerpt_text); "
               f"INSERT INTO {fts}(rowid, excerpt_text) VALUES (new.id, new.excerpt_text); END")
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")

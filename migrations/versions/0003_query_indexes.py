"""indexes for keyset pages under filters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:55:00

Measured on a synthetic database of 1M events (bench/synth.py, bench/RESULTS.md):

- ``ix_event_country_id`` (country, id, date_start, date_end): a page of events in one country
  in id order walks this index in order and checks the date overlap inside it, stopping after
  ``limit + 1`` rows. Before, SQLite searched (country, date_start < date_to) and sorted every
  match: 344 ms for ``country=UA&date_from=2023-01-01&date_to=2023-03-31`` at 1M, now ~1 ms.
- ``ix_event_actor_actor_event`` (actor_id, event_id): the actor filter reads event ids from
  the index alone (the old single-column index needed a table row per link), both as the
  IN list of a rare actor and as the per-event EXISTS probe of a common one
  (``app/queries/filters.py``): 168 ms -> 0.2 ms for ``actor=Russia`` at 1M.
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_event_country_id", "event", ["country", "id", "date_start", "date_end"]),
    ("ix_event_actor_actor_event", "event_actor", ["actor_id", "event_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        # IF NOT EXISTS: a benchmark database may carry them already (bench/synth.py)
        op.create_index(name, table, columns, unique=False, if_not_exists=True)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE")  # let the planner see the new indexes' selectivity


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

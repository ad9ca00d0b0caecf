"""Alembic environment: the URL comes from frontwire's settings or the caller's config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import Connection

import app.models  # noqa: F401  (registers the tables on the metadata)
from app.config import get_settings
from app.db import get_engine
from app.models import metadata

config = context.config


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    """Emit SQL without a connection (``alembic upgrade --sql``)."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through frontwire's own engine, so SQLite gets the same pragmas as the app."""
    url = _url()
    connectable = get_engine(url) if url else engine_from_config(
        config.get_section(config.config_ini_section, {}), poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # batch mode rebuilds tables: a cascade must not fire while it does
            _sqlite_foreign_keys(connection, on=False)
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_object=_not_search_index,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """PRAGMA foreign_keys only takes effect outside a transaction, hence the commits."""
    connection.commit()
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def _not_search_index(_object: object, name: str | None, type_: str, _reflected: bool,
                      _compare_to: object) -> bool:
    """FTS5 tables and their shadow tables are made by hand, not from the models."""
    return not (type_ == "table" and name is not None and "_fts" in name)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

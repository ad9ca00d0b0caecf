"""Run the Alembic migrations from code, without an alembic.ini at the top level."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

PACKAGE_DIR = Path(__file__).resolve().parent


def migrations_dir() -> Path:
    """``app/migrations`` in an installed wheel (setup.py puts it there), else the checkout's
    top-level ``migrations/`` (a clone or an editable install)."""
    for candidate in (PACKAGE_DIR / "migrations", PACKAGE_DIR.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"no Alembic migrations in {PACKAGE_DIR / 'migrations'} or "
                            f"{PACKAGE_DIR.parent / 'migrations'}: reinstall frontwire")


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the schema down to ``revision`` (default: empty)."""
    command.downgrade(alembic_config(database_url), revision)

"""Build hook: a wheel carries the top-level ``migrations/`` as ``app/migrations/``.

The repository keeps Alembic's migrations beside ``app/`` (the layout is fixed by DESIGN.md), and a
checkout or an editable install reads them there. A plain ``pip install .`` copies only packages,
so without this hook an installed ``frontwire db upgrade`` finds no migrations. Everything else
about the build is declared in pyproject.toml; app/migrate.py looks in both places.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PATTERNS = ("*.py", "*.mako", "versions/*.py")


class BuildWithMigrations(build_py):
    """``build_py`` that also copies migrations/ into the built ``app`` package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's migrations/ is read in place
            return
        files = sorted(path for pattern in PATTERNS for path in MIGRATIONS.glob(pattern))
        if not any(path.parent.name == "versions" for path in files):
            raise FileNotFoundError(f"no Alembic revisions under {MIGRATIONS / 'versions'}")
        for path in files:
            target = Path(self.build_lib, "app", "migrations", path.relative_to(MIGRATIONS))
            self.mkpath(str(target.parent))
            self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildWithMigrations})

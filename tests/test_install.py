"""A plain install has everything the code needs, at the versions the lock files pin.

Imports are read from the source (every ``import`` under app/ and migrations/, including the
ones inside functions) and mapped to distributions with ``importlib.metadata``; the lock files
are parsed as pip reads them. The wheel is built from a copy of the sources, installed into a
folder, and migrates a database from there, as a non-editable install would.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
import zipfile
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

APP = ROOT / "app"
MIGRATIONS = ROOT / "migrations"
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
GPU_STACK = re.compile(r"^(torch|torchvision|torchaudio|triton|jax|jaxlib|tensorflow|cupy"
                       r"|nvidia-.*|cuda-.*)$")
# Declared runtime dependencies that app/ does not import by name, and why they are needed.
NOT_IMPORTED = {
    "psycopg": "the driver SQLAlchemy loads for postgresql+psycopg:// URLs",
    "lxml-html-clean": "lxml.html.clean, which trafilatura and jusText import",
}
# Installed into the fresh venv by `python -m venv` itself, never through the lock.
VENV_TOOLS = {"pip"}


def source_files() -> list[Path]:
    return sorted([*APP.rglob("*.py"), *MIGRATIONS.rglob("*.py")])


@lru_cache(maxsize=1)
def third_party_imports() -> dict[str, list[str]]:
    """Top-level module -> the files importing it, for every import that is neither the
    standard library nor the project itself."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names}:
                if top not in sys.stdlib_module_names and top != "app":
                    found[top].add(str(path.relative_to(ROOT)))
    return {module: sorted(files) for module, files in found.items()}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements(extra: str | None = None) -> list[Requirement]:
    listed = project()["optional-dependencies"][extra] if extra else project()["dependencies"]
    return [Requirement(line) for line in listed]


def declared_runtime() -> set[str]:
    return {canonicalize_name(requirement.name) for requirement in requirements()}


@lru_cache(maxsize=1)
def module_distributions() -> dict[str, list[str]]:
    return packages_distributions()  # a scan of every installed distribution: seconds


def distributions_of(module: str) -> set[str]:
    return {canonicalize_name(name) for name in module_distributions().get(module, [])}


@lru_cache(maxsize=2)
def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every pin of a lock file."""
    assert lock.is_file(), f"{lock.name} is missing: run `make lock`"
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            found[current] = (match[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
        elif line.strip() and not line.startswith((" ", "#")):
            current = None
    return found


def test_every_third_party_import_is_a_declared_runtime_dependency() -> None:
    imports = third_party_imports()
    assert {"fastapi", "spacy", "trafilatura", "sqlalchemy"} <= set(imports)
    undeclared = {module: files for module, files in imports.items()
                  if not distributions_of(module) & declared_runtime()}
    assert not undeclared, (
        f"imported but not in [project].dependencies (only pulled in by another package or a "
        f"dev extra): { {m: (sorted(distributions_of(m)), f) for m, f in undeclared.items()} }")


def test_every_declared_runtime_dependency_is_used() -> None:
    imported = {dist for module in third_party_imports() for dist in distributions_of(module)}
    unused = declared_runtime() - imported - set(NOT_IMPORTED)
    assert not unused, f"declared but never imported under app/: {sorted(unused)}"


@pytest.mark.parametrize("lock, extra", [(LOCK, None), (DEV_LOCK, "dev")],
                         ids=["runtime", "dev"])
def test_lock_pins_every_requirement_within_its_range(lock: Path, extra: str | None) -> None:
    pinned = pins(lock)
    wanted = requirements() + (requirements(extra) if extra else [])
    stale = [f"{requirement} "
             f"(lock: {pinned.get(canonicalize_name(requirement.name), ('none',))[0]})"
             for requirement in wanted
             if canonicalize_name(requirement.name) not in pinned
             or not requirement.specifier.contains(
                 pinned[canonicalize_name(requirement.name)][0], prereleases=True)]
    assert not stale, f"{lock.name} is stale, run `make lock`: {stale}"
    unhashed = sorted(name for name, (_, hashes) in pinned.items() if hashes == 0)
    assert not unhashed, f"pins without hashes break --require-hashes: {unhashed}"


def test_runtime_lock_is_the_dev_lock_minus_dev_tools() -> None:
    runtime, dev = pins(LOCK), pins(DEV_LOCK)
    differ = {name: (version, dev.get(name, ("none",))[0])
              for name, (version, _) in runtime.items() if dev.get(name, ("",))[0] != version}
    assert not differ, f"the suite would test other versions than a deploy installs: {differ}"


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_no_gpu_stack_sneaks_in(lock: Path) -> None:
    assert {"spacy", "numpy"} <= set(pins(lock))
    assert not [name for name in pins(lock) if GPU_STACK.match(name)]


PROBE = """
import importlib, json, pkgutil, sys
import app
for info in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(info.name)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_everything_loaded_at_run_time_comes_from_the_runtime_lock() -> None:
    """Importing every app module and every library it imports (lazily or not) loads only
    distributions the runtime lock installs: trafilatura's lxml.html.clean included."""
    result = subprocess.run([sys.executable, "-c", PROBE, *third_party_imports()],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(json.loads(result.stdout)) - set(sys.stdlib_module_names) - {"app"}
    needed = {dist for module in loaded for dist in distributions_of(module)}
    assert "lxml-html-clean" in needed
    missing = needed - set(pins(LOCK)) - VENV_TOOLS - {"frontwire"}
    assert not missing, f"loaded at run time but not in requirements.lock: {sorted(missing)}"


def copy_sources(target: Path) -> Path:
    """The files a wheel is built from, as a clean clone has them (no build/, no caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    for folder in ("app", "migrations"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """frontwire's wheel, built offline with the venv's setuptools."""
    source = copy_sources(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(source)],
                   check=True, capture_output=True, timeout=300)
    (built,) = out.glob("frontwire-*.whl")
    return built


def packaged_files(folder: Path) -> set[str]:
    return {str(path.relative_to(ROOT)) for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def test_wheel_carries_the_migrations_inside_app_and_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = {"app/" + name for name in packaged_files(MIGRATIONS)}
    assert "app/migrations/env.py" in migrations and "app/migrations/script.py.mako" in migrations
    assert migrations <= names, sorted(migrations - names)
    assert not [name for name in names if name.startswith("migrations/")]
    assert packaged_files(APP) <= names, sorted(packaged_files(APP) - names)


def test_installed_wheel_migrates_from_its_own_copy(wheel: Path, tmp_path: Path) -> None:
    """A non-editable install finds app/migrations in itself, not in a checkout."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    script = ("import sys, app.migrate as m; assert m.__file__.startswith(sys.argv[1]), m.__file__;"
              " m.upgrade(sys.argv[2]); print(m.migrations_dir())")
    database = f"sqlite:///{tmp_path / 'installed.db'}"
    result = subprocess.run([sys.executable, "-c", script, str(target), database],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)},
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Path(result.stdout.strip()) == target / "app" / "migrations"
    with sqlite3.connect(tmp_path / "installed.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"article", "event", "alembic_version"} <= tables

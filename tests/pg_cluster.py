"""A PostgreSQL cluster of a test's own, started the way ``.ci/postgres.sh`` starts the suite's.

Tests that stop the database server (to see what clients get meanwhile) cannot use the
session's shared cluster, so they make one: initdb into a temp dir, ``pg_ctl start`` on a
free loopback port with the socket in that dir, as the ``postgres`` user when run as root
(initdb refuses root). Stopping and starting it again are real ``pg_ctl`` calls.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_POSTGRES_ENV
from tests.live_server import free_port


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin dir (PG_BIN overrides), or None."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(Path(path).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    bin: Path
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(_as_owner([str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"),
                                  *args]), check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=100")
        self._pg_ctl("-l", str(self.directory / "server.log"), "-w", "-t", "30", "-o", options,
                     "start")

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended, new connections are refused."""
        self._pg_ctl("-m", "fast", "-w", "stop")


@contextmanager
def owned_directory(prefix: str) -> Iterator[Path]:
    """A fresh dir under /tmp the cluster's owner can use (pytest's tmp_path is private to
    the user running the tests), removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    directory.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def require_postgres_binaries() -> Path:
    binaries = postgres_bin()
    if binaries is None or not (binaries / "initdb").exists():
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail("PostgreSQL's initdb is not installed", pytrace=False)
        pytest.skip("PostgreSQL's initdb is not installed")
    return binaries


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A running throwaway cluster; stopped and removed afterwards."""
    binaries = require_postgres_binaries()
    with owned_directory("frontwire-pg-") as directory:
        yield from _running(binaries, directory)


def _running(binaries: Path, directory: Path) -> Iterator[Cluster]:
    subprocess.run(_as_owner([str(binaries / "initdb"), "-D", str(directory / "data"), "-A",
                              "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]),
                   check=True, capture_output=True, timeout=120)
    cluster = Cluster(binaries, directory, free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(directory / "data"),
                                  "-m", "immediate", "-w", "stop"]), check=False,
                       capture_output=True, timeout=60)

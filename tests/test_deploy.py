"""The docker deployment holds together without a Docker engine.

docker-compose.yml is parsed with PyYAML and the Dockerfile as text: the services, health
checks and named volume are there, every variable the containers read is documented in
.env.example (and every FRONTWIRE_ one is a real setting), and every ``frontwire`` command
the image runs exists with the options it is given.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import typer
import yaml
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings
from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
SEPARATORS = {"&&", "||", ";", "if", "then", "fi", "else", "|", "exec", "[", "]"}
VARIABLE = re.compile(r"\$\$?\{?([A-Z_][A-Z0-9_]*)")


@lru_cache(maxsize=1)
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def dockerfile_instructions(name: str) -> list[str]:
    """Arguments of every ``NAME`` instruction (continuation lines joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in text.splitlines()
            if line.strip().upper().startswith(name + " ")]


def start_script() -> str:
    """The shell script of the image's CMD (exec form: ["sh", "-c", SCRIPT])."""
    (cmd,) = dockerfile_instructions("CMD")
    argv = json.loads(cmd)
    assert argv[:2] == ["sh", "-c"], argv
    return argv[2]


def frontwire_calls(script: str) -> list[list[str]]:
    """The argument lists of every ``frontwire`` call in a shell script."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    calls: list[list[str]] = []
    current: list[str] | None = None
    for token in lexer:
        if token == "frontwire":
            current = []
            calls.append(current)
        elif token in SEPARATORS or token.startswith(("&", "|", ";")):
            current = None
        elif current is not None:
            current.append(token)
    return calls


def env_names(settings_field: str) -> str:
    return f"FRONTWIRE_{settings_field.upper()}"


SETTINGS_ENV = {env_names(name) for name in Settings.model_fields}


def test_compose_has_a_healthy_postgres_with_a_named_volume() -> None:
    db = compose()["services"]["db"]
    assert db["image"] == "postgres:16"
    check = " ".join(db["healthcheck"]["test"])
    assert "pg_isready" in check
    volumes = compose()["volumes"]
    named = [mount.split(":")[0] for mount in db["volumes"]]
    assert "/var/lib/postgresql/data" in " ".join(db["volumes"])
    assert named and all(name in volumes for name in named)


def test_api_is_built_here_and_waits_for_a_healthy_database() -> None:
    api = compose()["services"]["api"]
    assert api["build"] in (".", {"context": "."})
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["env_file"] in (".env", [".env"])
    assert "/health" in " ".join(api["healthcheck"]["test"])
    assert any(str(port).endswith(":8000") for port in api["ports"])


def compose_variables() -> set[str]:
    """Every variable compose interpolates or passes to the containers."""
    names = set(VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))
    for service in compose()["services"].values():
        names.update(service.get("environment", {}))
    return names


def image_variables() -> set[str]:
    """Variables the start script reads, minus those the Dockerfile sets itself (ENV)."""
    own = {word.split("=")[0] for env in dockerfile_instructions("ENV") for word in env.split()
           if "=" in word}
    return set(VARIABLE.findall(start_script())) - own


@pytest.mark.parametrize("name", sorted(compose_variables() | image_variables()))
def test_every_variable_read_is_documented(name: str) -> None:
    assert name in env_example(), f"{name} missing from .env.example"
    if name.startswith("FRONTWIRE_"):
        assert name in SETTINGS_ENV, f"{name} is not a field of app.config.Settings"


@pytest.mark.parametrize("name", sorted(SETTINGS_ENV))
def test_every_setting_is_in_env_example(name: str) -> None:
    assert name in env_example()


def test_env_example_parses_and_points_at_the_compose_database(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=ENV_EXAMPLE)  # type: ignore[call-arg]
    url = urlsplit(settings.database_url)
    env = env_example()
    assert url.scheme == "postgresql+psycopg"
    assert (url.hostname, url.port) == ("db", 5432)
    assert (url.username, url.password, url.path.lstrip("/")) == (
        env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"])
    assert not settings.api_key, "the example must not ship a usable write key"


def test_frontwire_is_the_installed_console_script() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["frontwire"] == "app.cli:app"


def resolve(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Split a call into its (sub)command path and the options it passes."""
    command = typer.main.get_command(cli)
    path: list[str] = []
    for word in arguments:
        subcommands = getattr(command, "commands", {})  # a group (typer vendors click)
        if word not in subcommands:
            break
        command = subcommands[word]
        path.append(word)
    return path, [word for word in arguments if word.startswith("--")]


EXPECTED_CALLS = [["db", "upgrade"], ["ingest"], ["serve"]]


def test_start_script_migrates_optionally_seeds_and_serves_with_workers() -> None:
    script = start_script()
    calls = [resolve(args)[0] for args in frontwire_calls(script)]
    assert calls == EXPECTED_CALLS
    assert "INGEST_SEEDS" in script and "WEB_CONCURRENCY" in script
    serve = frontwire_calls(script)[-1]
    assert "--workers" in serve and serve[serve.index("--host") + 1] == "0.0.0.0"


@pytest.mark.parametrize("arguments", frontwire_calls(start_script()), ids=" ".join)
def test_each_cli_call_of_the_image_exists(arguments: list[str]) -> None:
    path, options = resolve(arguments)
    assert path, f"no such command: frontwire {' '.join(arguments)}"
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for option in options:
        assert option in result.output, f"frontwire {' '.join(path)} has no {option}"


def test_image_contents_exist_and_secrets_stay_out() -> None:
    (base,) = dockerfile_instructions("FROM")
    assert base.startswith("python:3.11")
    for copy in dockerfile_instructions("COPY"):
        for source in copy.split()[:-1]:
            assert (ROOT / source).exists(), f"COPY source {source} is missing"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".venv" in ignored


def test_image_installs_the_runtime_lock_then_a_plain_package() -> None:
    """Exact, hash-checked versions first; then frontwire with no resolving and not editable
    (its migrations travel inside the wheel), checked by pip."""
    runs = [shlex.split(run) for run in dockerfile_instructions("RUN")]
    pip_installs = [words for run in runs for words in split_commands(run)
                    if words[:2] == ["pip", "install"]]
    # a current pip first: the one bundled with Python refuses hash-checked extras
    assert pip_installs[0][:3] == ["pip", "install", "--upgrade"] and "pip>=24.1" in pip_installs[0]
    assert pip_installs[1] == ["pip", "install", "--require-hashes", "-r", "requirements.lock"]
    package = pip_installs[2]
    assert "--no-deps" in package and not {"-e", "--editable"} & set(package)
    assert any(words == ["pip", "check"] for run in runs for words in split_commands(run))
    copied = " ".join(dockerfile_instructions("COPY"))
    assert "requirements.lock" in copied and "setup.py" in copied and "migrations" in copied


def split_commands(words: list[str]) -> list[list[str]]:
    """A shell line's commands, split at ``&&``."""
    commands: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            commands.append([])
        else:
            commands[-1].append(word)
    return commands


def test_ci_runs_the_plain_install_smoke_test_before_the_suite() -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert "bash .ci/smoke.sh" in lines and "make test" in lines
    assert lines.index("bash .ci/smoke.sh") < lines.index("make test")  # pytest's summary last
    smoke = (ROOT / ".ci" / "smoke.sh").read_text()
    assert '--require-hashes -r "$LOCK"' in smoke and '--no-deps "$WORK/src"' in smoke
    installs = [line for line in smoke.splitlines() if '/bin/pip" install' in line]
    assert '--upgrade "pip>=24.1"' in installs[0]  # the bundled pip refuses hashed extras
    assert len(installs) == 4 and not [line for line in installs if " -e " in line]


def make(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=False)


def test_make_install_installs_from_the_dev_lock(tmp_path: Path) -> None:
    dry_run = make("-n", "-B", f"VENV={tmp_path / 'venv'}", "install")
    assert dry_run.returncode == 0, dry_run.stderr
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in dry_run.stdout
    assert "pip install --quiet --no-deps -e ." in dry_run.stdout
    assert "pip check" in dry_run.stdout


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock", "pyproject.toml"])
def test_a_newer_lock_file_reinstalls(tmp_path: Path, lock: str) -> None:
    """`make install` is up to date only while .installed is newer than both locks."""
    for name in ("Makefile", "requirements.lock", "requirements-dev.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    installed = tmp_path / "venv" / ".installed"
    installed.parent.mkdir()
    installed.touch()
    assert make("-q", "VENV=venv", "install", cwd=tmp_path).returncode == 0
    later = installed.stat().st_mtime + 10
    os.utime(tmp_path / lock, (later, later))
    assert make("-q", "VENV=venv", "install", cwd=tmp_path).returncode == 1

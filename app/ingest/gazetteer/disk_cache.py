"""A build-once, load-fast disk cache for derived data (the gazetteer index).

Building the gazetteer from GeoNames takes ~10 s and ~450 MB; an API server doing that on
its first request would time clients out. The built value is written once with ``marshal``
(the fastest stdlib loader for plain lists/dicts/strings) and loaded in well under a second
by every later process. The file name and an inner header carry a key (a hash of the code
and data the value was built from), so a changed data file or package version rebuilds the
value instead of serving a stale one, and a corrupt or truncated file is rebuilt too.
Writes go to a temp file renamed into place, so concurrent processes never see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.config import Settings

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """The ``cache_dir`` setting (FRONTWIRE_CACHE_DIR), else ``$XDG_CACHE_HOME/frontwire``,
    else ``~/.cache/frontwire``. Read fresh (not the per-process settings cache): a test or
    a benchmark may point it elsewhere."""
    configured = Settings().cache_dir
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "frontwire"


def content_key(parts: Iterable[str | bytes | Path]) -> str:
    """SHA-256 over strings, bytes and file contents, plus the Python/marshal version (the
    marshal format may change between Python versions)."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}|{marshal.version}".encode())
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else part
        digest.update(data.encode() if isinstance(data, str) else data)
        digest.update(b"\0")
    return digest.hexdigest()


def _read(path: Path, key: str) -> Any | None:
    """The cached value, or None when the file is missing, corrupt or built from other data."""
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    return None


def _write(path: Path, key: str, value: Any) -> None:
    """Atomic write (temp file + rename); a read-only cache dir only costs the rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((key, value)))
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        log.warning("cannot write cache %s: %s", path, exc)


def _drop_stale(directory: Path, name: str, keep: Path) -> None:
    """Remove this value's files built from older data (other keys)."""
    for old in directory.glob(f"{name}-*.marshal"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


def load_or_build(name: str, key: str, build: Callable[[], Any],
                  directory: Path | None = None) -> Any:
    """The value cached under ``name``/``key``; built with ``build()`` and stored if absent,
    stale or unreadable. ``build`` must return marshal-able data."""
    directory = directory or cache_dir()
    path = directory / f"{name}-{key[:20]}.marshal"
    value = _read(path, key)
    if value is not None:
        return value
    log.info("building %s (cache %s)", name, path)
    value = build()
    _write(path, key, value)
    _drop_stale(directory, name, path)
    return value

"""Read the shared knowledge files under ``app/vocabulary/data/``, once.

The actor dictionary and the event taxonomy are read by both halves (the pipeline codes
with them, the API validates filters against them), so they live here, below both, and
the API never has to import the pipeline to read them.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def read_rows(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV file (one header row) as dicts keyed by the header; cached."""
    with open(path, newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``app/vocabulary/data/<name>``."""
    return read_rows(DATA_DIR / name)

"""Read the knowledge files under ``app/ingest/data/`` (one header row each), once."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/<name>`` as dicts keyed by the header; cached per file."""
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def grouped(name: str, key: str, value: str) -> dict[str, frozenset[str]]:
    """``key`` column -> the lower-cased ``value``s of its rows ("role -> cue words")."""
    table: dict[str, set[str]] = {}
    for row in rows(name):
        table.setdefault(row[key], set()).add(row[value].lower())
    return {group: frozenset(values) for group, values in table.items()}

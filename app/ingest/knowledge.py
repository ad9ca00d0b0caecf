"""Read the extraction's knowledge files, once.

Each stage keeps its files beside its code (``places/data/``, ``figures/data/``...), as
spaCy keeps ``lang/en/`` data beside the code that reads it; word lists that several
stages read stay in ``app/ingest/data/``. Names are relative to ``app/ingest/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.vocabulary.files import read_rows

INGEST_DIR = Path(__file__).resolve().parent


def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``app/ingest/<name>`` ("figures/data/units.csv") keyed by the header."""
    return read_rows(INGEST_DIR / name)


@cache
def grouped(name: str, key: str, value: str) -> dict[str, frozenset[str]]:
    """``key`` column -> the lower-cased ``value``s of its rows ("role -> cue words")."""
    table: dict[str, set[str]] = {}
    for row in rows(name):
        table.setdefault(row[key], set()).add(row[value].lower())
    return {group: frozenset(values) for group, values in table.items()}

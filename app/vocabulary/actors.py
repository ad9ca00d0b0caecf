"""The actor dictionary (``data/actors.csv``) on its own, without spaCy.

Storing a draft resolves claimant names to actors (``canonical_actor``), and that runs in the
API process, which never loads the NLP pipeline (extraction runs in worker processes, see
``worker_pool``). So the table and its lookups live here, importing nothing from spaCy;
the pipeline's actor stage builds its matchers from the same rows, and the API's actor filter
reads its aliases here too: the dictionary is parsed once (``actor_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.vocabulary.files import rows


@dataclass(frozen=True)
class ActorRow:
    """One curated actor."""

    name: str
    kind: str
    country: str | None
    extract: bool
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()


def norm(text: str) -> str:
    """Compare names loosely: no leading article, no possessive, case-folded."""
    text = " ".join(text.replace("\u2019", "'").split()).strip(" .,;:")
    low = text.lower()
    for prefix in ("the ", "a ", "an "):
        if low.startswith(prefix):
            text, low = text[len(prefix):], low[len(prefix):]
    if low.endswith("'s"):
        text = text[:-2]
    return text.casefold()


def split(value: str) -> list[str]:
    """The items of a ``|``-separated cell."""
    return [v.strip() for v in value.split("|") if v.strip()]


@lru_cache(maxsize=1)
def actor_rows() -> tuple[ActorRow, ...]:
    """Every curated actor of ``data/actors.csv``, in file order: the one parse of it."""
    return tuple(
        ActorRow(rec["name"], rec["kind"], rec["country"] or None, rec["extract"] == "1",
                 tuple(split(rec["aliases"])), tuple(split(rec["demonyms"])),
                 tuple(split(rec["capitals"])))
        for rec in rows("actors.csv"))


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, tuple[ActorRow, str]], tuple[ActorRow, ...]]:
    """Surface form -> (actor, form) for every name, alias, demonym (and plural), capital."""
    forms: dict[str, tuple[ActorRow, str]] = {}
    for row in actor_rows():
        for alias in (row.name, *row.aliases):
            forms.setdefault(alias, (row, "name"))
        for dem in row.demonyms:
            forms.setdefault(dem, (row, "plural" if dem.endswith("s") else "demonym"))
        for cap in row.capitals:
            forms.setdefault(cap, (row, "capital"))
    return forms, actor_rows()


@lru_cache(maxsize=1)
def folded() -> dict[str, tuple[ActorRow, str]]:
    forms, _ = table()
    out: dict[str, tuple[ActorRow, str]] = {}
    for alias, hit in forms.items():
        out.setdefault(norm(alias), hit)
    return out


def canonical_actor(name: str) -> tuple[str, str] | None:
    """(canonical name, kind) for an alias such as 'IDF', 'Kinshasa' or 'Ukrainian'; else None."""
    hit = folded().get(norm(name))
    return (hit[0].name, hit[0].kind) if hit else None


@lru_cache(maxsize=1)
def _states() -> dict[str, str]:
    """Country code -> the state's canonical name (the first state row of the country;
    later ones are rival governments)."""
    out: dict[str, str] = {}
    for row in table()[1]:
        if row.kind == "state" and row.country:
            out.setdefault(row.country, row.name)
    return out


def state_of(name: str) -> str | None:
    """The state whose forces an actor is, for coding an event's actor as ACLED does
    ("Military Forces of X"): a state is itself; its aliases (the army, the intelligence
    agency, the police: "NISA", "SBU", "FAMa") are the state already; a named state unit
    (``military_unit`` with a country: Danab, Akhmat, Africa Corps) is its country's state.
    Armed groups, militias and private companies (Wagner) are nobody's state: None."""
    hit = folded().get(norm(name))
    if hit is None:
        return None
    row = hit[0]
    if row.kind == "state":
        return row.name
    if row.kind == "military_unit" and row.country:
        return _states().get(row.country)
    return None

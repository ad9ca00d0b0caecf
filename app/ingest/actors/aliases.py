"""One actor per name an article uses: acronyms read in the article's own terms.

An acronym means what the article says it means: "the Somali National Army (SNA)" defines
SNA for the rest of the text, whatever the dictionary's default (the Syrian National Army).
An acronym the article does not define but that names different actors in different wars
(``data/actor_acronyms.csv``) is read in the country the article is about (its places and
states): SNA in a story set in Somalia is the Somali army. "Government security forces
(SNA)" is then the state the bracketed acronym names.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from app.ingest.actors.entities import Cand
from app.ingest.knowledge import rows
from app.ingest.places import find_places
from app.vocabulary.actors import ActorRow, table


@lru_cache(maxsize=1)
def acronym_readings() -> dict[str, tuple[tuple[str, str], ...]]:
    """Acronym -> ((country, actor name), ...), from data/actor_acronyms.csv."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in rows("actors/data/actor_acronyms.csv"):
        out.setdefault(row["acronym"], []).append((row["country"], row["actor"]))
    return {k: tuple(v) for k, v in out.items()}


def article_countries(doc: Doc, cands: list[Cand] | None = None) -> Counter[str]:
    """How often each country's places (and, given ``cands``, states) come up."""
    found: Counter[str] = Counter(p.country for p in find_places(doc) if p.country)
    found.update(c.row.country for c in cands or () if c.row.kind == "state" and c.row.country)
    return found


def read_acronyms(doc: Doc, cands: list[Cand]) -> list[Cand]:
    """Dictionary acronyms re-read by the article's own definition, else by its country."""
    defined = _definitions(doc, cands)
    countries: Counter[str] | None = None
    by_name = {r.name: r for r in table()[1]}
    out = []
    for cand in cands:
        text = cand.span.text
        row = defined.get(text)
        if row is None and text in acronym_readings() and cand.form == "name":
            countries = countries if countries is not None else article_countries(doc, cands)
            row = _by_country(text, countries, by_name)
        out.append(cand if row is None or row is cand.row else Cand(cand.span, row, "name"))
    return out


def _definitions(doc: Doc, cands: list[Cand]) -> dict[str, ActorRow]:
    """'the Somali National Army (SNA)': ABBR -> the actor named right before it."""
    out: dict[str, ActorRow] = {}
    for cand in cands:
        j = cand.span.end
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
            abbr = doc[j + 1].text
            if abbr.isupper() and len(abbr) >= 2 and abbr != cand.span.text:
                out.setdefault(abbr, cand.row)
    return out


def _by_country(text: str, countries: Counter[str],
                by_name: dict[str, ActorRow]) -> ActorRow | None:
    """The reading of an ambiguous acronym in the country the article is most about."""
    readings = [(countries[c], name) for c, name in acronym_readings()[text] if countries[c]]
    if not readings:
        return None
    return by_name.get(max(readings)[1])


def bracketed_state(doc: Doc, end: int, owner: dict[int, Cand]) -> ActorRow | None:
    """'government security forces (SNA)': the state the acronym right after names."""
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
        cand = owner.get(end + 1)
        if cand is not None and cand.row.kind == "state":
            return cand.row
    return None

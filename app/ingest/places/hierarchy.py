"""Hierarchies the text states: a place and the units that contain it.

Analysts and reporters pin a small place with its larger units: "Aborey village (Bulo Burto,
Hiraan)", "Alexandria, Virginia", "the Hamra district of Beirut", "Mogadishu's Hodan
district", "X, a village near Y", "X in the Y district of Z province". Those units decide the
country (and often the first-level region) of every name in the chain, whatever namesakes the
gazetteer holds elsewhere: "Dharin (Qandala, Bari)" is in Somalia, where Qandala and the Bari
region are, not in Italy's Bari. ``chains`` finds the links (each candidate looks at a few
tokens after it, so the pass is linear); ``constraints`` picks, per chain, the country where
most members have a gazetteer entry, and the region an outer member names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from app.ingest.gazetteer import (
    Entry,
    fold,
    get_gazetteer,
    lookup,
    lookup_region,
    lookup_region_loose,
    loose_key,
)
from app.ingest.lexicon import cue
from app.ingest.places.candidates import Candidate

LINK_WORDS = frozenset({"of", "in"})
NEAR_WORDS = frozenset({"near", "outside", "close"})
SMALL_TOWN = 50000  # an outer member matching only a town smaller than this is weak evidence
NOUN_GAP = 2  # lowercase place nouns between a name and its bracket: "Aborey village ("


@dataclass(frozen=True)
class Constraint:
    """Where a chain member must lie: a country, maybe a region, and the chain's parent."""

    country: str
    admin1: str | None
    parent: int | None  # start of the nearest containing member, for a fallback point
    sure: bool = True  # the text calls it a place ("X village (A, B)"), not just "X in Y"


def _place_word(doc: Doc, i: int) -> bool:
    word = doc[i].lower_
    return word in cue("appositive_noun") | cue("place_noun") | cue("region_word") | {
        "neighbourhood", "neighborhood", "quarter", "locality", "community", "camp"}


def _skip_nouns(doc: Doc, i: int, limit: int = NOUN_GAP) -> int:
    """Index after up to ``limit`` lowercase place nouns starting at i."""
    k = i
    while k < len(doc) and k - i < limit and doc[k].is_lower and _place_word(doc, k):
        k += 1
    return k


def chains(doc: Doc, cands: list[Candidate]) -> list[tuple[list[Candidate], bool]]:
    """Chains of candidates, innermost first ([Aborey, Bulo Burto, Hiraan]), each with
    whether the text calls its innermost member a place (see ``_sure``)."""
    cands = [c for c in cands if c.form != "demonym"]  # "the Chadian village of X"
    at = {c.start: c for c in cands}
    parent: dict[int, Candidate] = {}
    sure: set[int] = set()
    for cand in cands:
        found = _bracket(doc, cand, at)
        if found and _sure_bracket(doc, cand, found):
            sure.add(cand.start)
        apposed = [] if found else _appositive(doc, cand, at)
        sure.update([cand.start] if apposed else [])
        found = found or apposed or _linked(doc, cand, at)
        if found:
            for inner, outer in zip([cand, *found], found, strict=False):
                parent.setdefault(inner.start, outer)
        owner = _possessor(doc, cand, at)
        if owner is not None:
            parent.setdefault(cand.start, owner)
        cued = bool(found) and cand.cue > 0 and cand.cue_word not in cue("weak_cue")
        if found or owner is not None:  # "in Mbau in the Beni territory": cued and placed
            sure.update([cand.start] if cued or _named_as_place(doc, cand) else [])
    owners = {id(p) for p in parent.values()}
    out = []
    for cand in cands:
        if cand.start not in parent or id(cand) in owners:
            continue  # chains start at their innermost member
        chain, cur, seen = [cand], cand, {cand.start}
        while cur.start in parent and parent[cur.start].start not in seen:
            cur = parent[cur.start]
            seen.add(cur.start)
            chain.append(cur)
        out.append((chain, cand.start in sure))
    return out


def _named_as_place(doc: Doc, cand: Candidate) -> bool:
    """'the Hamra district', 'the Lolab area', 'Kutupalong refugee camp': a unit or place
    word says so (a bare 'Speaking in Tokyo', "Australia's Jai Opetaia" do not)."""
    return cand.form in ("region", "facility") or _skip_nouns(doc, cand.end) > cand.end


def _sure_bracket(doc: Doc, cand: Candidate, found: list[Candidate]) -> bool:
    """'X (A, B)' or 'X (district)' is a place's hierarchy; a lone country in brackets
    after a name is more often a nationality ('Jai Opetaia (Australia)')."""
    if len(found) >= 2 or _named_as_place(doc, cand):
        return True
    text = doc[found[0].start:found[0].end].text
    return not any(e.kind == "country" for e, _ in lookup(text))


def _bracket(doc: Doc, cand: Candidate, at: dict[int, Candidate]) -> list[Candidate]:
    """'X (A, B)', 'X village (A)': the bracketed names, in order."""
    k = _skip_nouns(doc, cand.end)
    if k >= len(doc) or doc[k].text != "(":
        return []
    out: list[Candidate] = []
    k += 1
    while k in at and len(out) < 4:
        member = at[k]
        out.append(member)
        k = member.end
        if k < len(doc) and doc[k].text == ",":
            k += 1
            continue
        break
    return out if k < len(doc) and doc[k].text == ")" else []


def _linked(doc: Doc, cand: Candidate, at: dict[int, Candidate]) -> list[Candidate]:
    """'the Hamra district of Beirut', 'the Lolab area of Kupwara', 'Goma in North Kivu',
    'Alexandria, Virginia' (a comma before a region or country that ends the phrase)."""
    k = _skip_nouns(doc, cand.end)
    if k < len(doc) and doc[k].text == "," and k + 1 in at:
        nxt = at[k + 1]
        end = nxt.end
        closes = end >= len(doc) or not (doc[end].text[:1].isupper() or end + 1 in at and doc[
            end].lower_ in (",", "and", "or"))  # "A, B, C" and "A, B and C" are lists
        return [nxt] if closes and _is_unit(doc, nxt) else []
    if k >= len(doc) or doc[k].lower_ not in LINK_WORDS:
        return []
    j = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "the")
    unit = at.get(j)
    if unit is None:
        return []
    if doc[k].lower_ == "in" and not (_is_unit(doc, unit) or _named_as_place(doc, unit)):
        return []  # "Goma in Kinshasa's talks" is no hierarchy; "X in North Kivu" is
    if doc[k].lower_ == "of" and k == cand.end and cand.form != "region":
        return []  # "Kursk of Russia": only a place noun before "of" links
    return [unit]


def _appositive(doc: Doc, cand: Candidate, at: dict[int, Candidate]) -> list[Candidate]:
    """'X, a village near Y', 'X, a town in the Y district': the appositive's place."""
    k = cand.end
    if k + 2 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in ("a", "an", "the"):
        return []
    j = k + 2
    while j < min(k + 6, len(doc)) and doc[j].is_lower and not _place_word(doc, j):
        j += 1  # "a small farming village"
    if j >= len(doc) or not _place_word(doc, j):
        return []
    j += 1
    if j < len(doc) and doc[j].lower_ in ("to", "from") and doc[j - 1].lower_ == "close":
        j += 1
    if j >= len(doc) or doc[j].lower_ not in LINK_WORDS | NEAR_WORDS:
        return []
    j += 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "the")
    return [at[j]] if j in at else []


def _possessor(doc: Doc, cand: Candidate, at: dict[int, Candidate]) -> Candidate | None:
    """'Mogadishu's Hodan district', "El-Fasher's Al-Daraja": the city owns the quarter."""
    k = cand.start - 1
    if k < 1 or doc[k].tag_ != "POS":
        return None
    for owner in (at.get(k - n) for n in range(1, 5)):
        if owner is not None and owner.end == k:
            return owner
    return None


def _is_unit(doc: Doc, cand: Candidate) -> bool:
    """A region or country name (a unit that contains places), or a 'X region' form."""
    text = doc[cand.start:cand.end].text
    if cand.form in ("region", "region-bare"):
        return True
    return bool(lookup_region(text)) or any(e.kind == "country" for e, _ in lookup(text))


def member_entries(doc: Doc, cand: Candidate) -> list[tuple[Entry, float]]:
    """Every entry a chain member could be, with a weight: canonical or region 1, alias 0.7,
    loose 0.4 (a region word is dropped: 'Herat province' is Herat)."""
    text = doc[cand.start:cand.end].text
    names = [text]
    if cand.form == "region" and cand.end - cand.start > 1:
        names.append(doc[cand.start:cand.end - 1].text)
    elif cand.form == "facility":
        tokens = list(doc[cand.start:cand.end])
        while tokens and (tokens[-1].is_lower or tokens[-1].lower_ in cue("facility_word")):
            tokens.pop()
        names.append(" ".join(t.text for t in tokens))
    out: list[tuple[Entry, float]] = []
    for name in filter(None, names):
        exact = fold(name) in get_gazetteer().admin1
        regions = lookup_region(name) if exact else lookup_region_loose(name)
        out += [(e, 1.0 if exact else 0.4) for e in regions]
        out += [(e, {3: 1.0, 2: 0.7}.get(s, 0.4)) for e, s in lookup(name)]
    return out


def constraints(doc: Doc, cands: list[Candidate],
                context: Counter[str]) -> dict[int, Constraint]:
    """Candidate start -> where it must lie, for every member of every chain."""
    out: dict[int, Constraint] = {}
    for chain, sure in chains(doc, cands):
        entries = [member_entries(doc, c) for c in chain]
        country = _chain_country(entries, context)
        if country is None:
            continue
        region = _chain_region(entries, country)
        if not sure and not any(e.country == country for e, _ in entries[0]):
            continue  # "Speaking in Tokyo", "Residents in Salah al-Din": no place inside
        for n, cand in enumerate(chain):
            parent = chain[n + 1].start if n + 1 < len(chain) else None
            inner = n + 1 < len(chain)
            out.setdefault(cand.start, Constraint(country, region if inner else None, parent,
                                                  sure))
    return out


def _chain_country(entries: list[list[tuple[Entry, float]]],
                   context: Counter[str]) -> str | None:
    """The country most members can be in, outer members (the larger units) weighing more,
    the article's context breaking ties; a country named in the chain wins outright."""
    votes: Counter[str] = Counter()
    for n, member in enumerate(entries):
        best: dict[str, float] = {}
        for entry, weight in member:
            if entry.country:
                if entry.kind == "country":
                    weight = 3.0
                elif entry.kind in ("admin1", "area") and n:
                    weight *= 1.5  # an outer member is a unit ('Darfur') more than a town
                elif n and entry.population < SMALL_TOWN:
                    weight *= 0.5  # '(Djibo, Soum)': Soum the province, not Soum, Senegal
                best[entry.country] = max(best.get(entry.country, 0.0), weight)
        votes.update({c: w * (1 + 0.5 * n) for c, w in best.items()})  # outer units decide
    if not votes:
        return None
    top = max(context.values(), default=0)
    return max(votes, key=lambda c: votes[c] + (0.5 * context[c] / top if top else 0.0))


def _chain_region(entries: list[list[tuple[Entry, float]]], country: str) -> str | None:
    """The first-level region an outer member names in that country ('Hiraan', 'Virginia')."""
    for member in reversed(entries):
        for entry, _ in member:
            if entry.kind == "admin1" and entry.country == country:
                return entry.admin1
    return None


def fits(entry: Entry, rule: Constraint) -> bool:
    """Does the entry lie where the chain says (country, and region when one is named)?"""
    if entry.country != rule.country:
        return False
    if rule.admin1 is None or entry.admin1 is None:
        return True
    return loose_key(entry.admin1) == loose_key(rule.admin1)  # "Khan Younis" / "Khan Yunis"


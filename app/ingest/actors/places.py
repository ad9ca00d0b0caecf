"""Places are never actors: a village the small model tags as a person ("Kfar Kila",
"Khan Younis", "Majdal Shams") is the place the place stage resolved there.

Only names the dictionary does not know are checked (spaCy's PERSON/ORG guesses): a
dictionary capital ("Kyiv said") is decided by the metonymy rules, and the place stage
already leaves out the capitals it reads as governments.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from app.ingest.actors.entities import Cand
from app.ingest.places import find_places

GUESSED = frozenset({"entity"})  # the form of every non-dictionary candidate


def drop_places(doc: Doc, cands: list[Cand]) -> list[Cand]:
    """The candidates that are not inside a resolved place mention other than a country (a
    name kept only because a cue called it a place, "North Darfur Governor Mini Minawi",
    is weaker evidence than the tagger's person)."""
    spans = sorted((p.span.start, p.span.end) for p in find_places(doc)
                   if p.kind != "country" and p.lat is not None)  # resolved, not just cued
    if not spans:
        return cands
    starts = [s for s, _ in spans]
    return [c for c in cands if not (c.form in GUESSED and _inside(c, spans, starts))]


def _inside(cand: Cand, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Does a place span cover the candidate's characters? (the spans are sorted and, being
    mentions, do not nest, so only the one starting last at or before it can)"""
    lo, hi = cand.span.start_char, cand.span.end_char
    k = bisect.bisect_right(starts, lo) - 1
    return k >= 0 and spans[k][0] <= lo and hi <= spans[k][1]

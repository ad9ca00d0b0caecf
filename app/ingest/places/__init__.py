"""Find place mentions in a parsed article and resolve each to one gazetteer entry.

The small spaCy model tags many towns as PERSON or ORG, so candidates are runs of
capitalized proper-noun tokens (with name connectors such as "al-", "of", "el"), checked
against the gazetteer. A run needs support to count: an NER/ruler place label, a locative cue
("in", "near", "the town of"), a region/facility word after it ("Kursk region", "Goma
airport"), membership in a list with other places, or a strong entry (country, capital,
curated row, large city). Government metonyms ("Kyiv said") and attributive uses ("Kursk's
governor", "US officials") are dropped. Ambiguous names are resolved in two passes: first
the unambiguous anchors, then the rest, scored by the article's country context, distance to
the anchors, population and kind (see ``resolve``).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from app.ingest.gazetteer import ruler_patterns as gazetteer_patterns
from app.ingest.lexicon import cue
from app.ingest.metonymy import is_government_metonym
from app.ingest.places.candidates import Candidate, candidates
from app.ingest.places.filters import attributive, other_reading, surnames
from app.ingest.places.resolve import Resolver
from app.ingest.text.doc_index import install, per_doc
from app.ingest.text.keys import fold
from app.ingest.types import PlaceMention, Span

__all__ = ["find_places", "ruler_patterns"]

def _with_direction(doc: Doc, cand: Candidate, span: Span) -> Span:
    """Widen to a directional modifier: 'southern Lebanon', 'north-central Burkina Faso'."""
    start = cand.start
    if start > 0 and doc[start - 1].lower_ in cue("direction"):
        start -= 1
        if start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ in cue("compass"):
            start -= 2
    return _span(doc, start, cand.end) if start != cand.start else span


def _span(doc: Doc, start: int, end: int) -> Span:
    """Char span of tokens [start, end); the text comes from the tokens, because ``doc.text``
    re-joins the whole document on every access."""
    s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    return Span(s, e, doc[start:end].text)


PLACES_KEY = "frontwire.places"


def find_places(doc: Doc) -> list[PlaceMention]:
    """Every place mention in ``doc`` (char offsets into ``doc.text``), resolved; kept on the
    doc, because the actor stage asks too (a place is never an actor: "Khan Younis")."""
    return list(per_doc(doc, PLACES_KEY, _find_places))


def _find_places(doc: Doc) -> list[PlaceMention]:
    install(doc)
    names = surnames(doc)
    cands = [c for c in candidates(doc) if not other_reading(doc, c, names)]
    resolver = Resolver(doc, cands)
    out: list[PlaceMention] = []
    for cand in cands:
        entry = resolver.resolve(cand, final=True)
        if entry is None or attributive(doc, cand):
            continue
        span = _span(doc, cand.start, cand.end)
        if cand.form == "plain" and is_government_metonym(doc, span.start, span.end):
            continue
        name = _surface_name(cand, entry.name, entry.kind, _bare_text(doc, cand))
        wide = _with_direction(doc, cand, span)
        if wide is not span and entry.kind in ("country", "area"):
            name = wide.text  # "southern Lebanon" is a part of the country, not all of it
        span = wide
        out.append(PlaceMention(span, name, entry.kind, entry.country, entry.admin1,
                                entry.lat, entry.lon, entry.geonames_id))
    return out


def _surface_name(cand: Candidate, name: str, kind: str, text: str) -> str:
    """A town the article spells differently ('Misrata' for GeoNames' 'Misratah') keeps the
    article's spelling as its name; the geonames_id still fixes its identity."""
    if text.isupper() or fold(text) == fold(name):
        return name
    if kind == "settlement" and cand.form == "plain":
        return text
    if kind == "admin1" and cand.form in ("plain", "region", "region-bare"):
        same = fold(name).startswith(fold(text) + " ")  # 'Kursk' of 'Kursk Oblast'
        return name if same else text  # 'Magwe Region' for GeoNames' 'Magway'
    return name


def _bare_text(doc: Doc, cand: Candidate) -> str:
    """The name as written without its trailing region word ('Magwe' of 'Magwe regions')."""
    end = cand.end
    if cand.form == "region" and end - cand.start > 1 and doc[end - 1].lower_ in cue("region_word"):
        end -= 1
    return doc[cand.start:end].text


def ruler_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns: curated names, countries, capitals and '<region> oblast' forms."""
    return gazetteer_patterns()

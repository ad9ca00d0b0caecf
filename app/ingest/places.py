"""Find place mentions in a parsed article and resolve each to one gazetteer entry.

The small spaCy model tags many towns as PERSON or ORG, so candidates are runs of
capitalized proper-noun tokens (with name connectors such as "al-", "of", "el"), checked
against the gazetteer. A run needs support to count: an NER/ruler place label, a locative cue
("in", "near", "the town of"), a region/facility word after it ("Kursk region", "Goma
airport"), membership in a list with other places, or a strong entry (country, capital,
curated row, large city). Government metonyms ("Kyiv said") and attributive uses ("Kursk's
governor", "US officials") are dropped. Ambiguous names are resolved in two passes: first
the unambiguous anchors, then the rest, scored by the article's country context, distance to
the anchors, population and kind (see ``place_resolve``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from spacy.tokens import Doc, Token

from app.ingest.doc_index import install
from app.ingest.gazetteer import fold
from app.ingest.knowledge import rows
from app.ingest.types import PlaceMention, Span

SKIP_LABELS = {"DATE", "TIME"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
GLUED = re.compile(r"[a-z]{2,}[A-Z]")  # "Majdal ShamsREUTERS": caption glued to a credit


@dataclass
class Candidate:
    """A token run that may name a place, with the evidence collected for it."""

    start: int
    end: int
    form: str = "plain"  # plain|region|facility|demonym
    cue: int = 0  # 2: "the town of X", 1: "in X", 0: none
    cue_word: str = ""
    listed: int = 0  # list group id, 0 when not in a list
    label: str = ""
    motion: bool = False  # a weak cue governed by a motion verb: "moved north from X"


@lru_cache(maxsize=1)
def _place_cues() -> dict[str, frozenset[str]]:
    """role -> words, from data/place_cues.csv (connectors, cue words, region words...)."""
    table: dict[str, set[str]] = {}
    for row in rows("place_cues.csv"):  # case kept: connectors such as "al" vs "Al"
        table.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(words) for role, words in table.items()}


def cue(role: str) -> frozenset[str]:
    """The cue words of one role (see data/place_cues.csv)."""
    return _place_cues()[role]


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Folded words that collide with GeoNames names but are rarely places in news."""
    return frozenset(fold(row["word"]) for row in rows("place_stoplist.csv"))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym (lowercase) -> ISO country, for 'Russian villages' and country context."""
    return {row["demonym"].lower(): row["country"] for row in rows("place_demonyms.csv")}


def _capital(token: Token) -> bool:
    """A capitalized name token (not a shouted headline word, not a capitalized pronoun)."""
    text = token.text
    if not text[:1].isupper() or (text.isupper() and text.isalpha() and len(text) > 3):
        return False
    if token.is_sent_start and token.is_alpha and not token.is_stop:
        return True  # the tagger guesses wildly on a sentence's first word ("Humera," ADV)
    return token.pos_ in ("PROPN", "NOUN", "ADJ") or bool(token.ent_type_)


def _continues(doc: Doc, j: int) -> bool:
    """Does token j extend a name run: a capitalized word, or a connector before one?"""
    if doc[j].tag_ == "POS" and _possessive_name(doc, j):
        return True  # "Cox's Bazar", "St John's Wood": the gazetteer's name has the 's
    if _capital(doc[j]) or (doc[j].is_digit and len(doc[j]) <= 3 and _capital(doc[j - 1])):
        return True  # "Tower 22"
    if j + 1 >= len(doc):
        return False
    word, nxt = doc[j].lower_, doc[j + 1]
    if word == "-" and nxt.lower_ in cue("hyphen_article") | cue("connector"):
        return j + 2 < len(doc) and doc[j + 2].text == "-"  # "Port-au-Prince"
    if not (_capital(nxt) or nxt.text == "-"):
        return False
    return word in cue("connector") or (word in cue("hyphen_article") and nxt.text == "-")


def _possessive_name(doc: Doc, j: int) -> bool:
    """Is "A's B" around the possessive token j one name: a gazetteer name, or a site named
    for a person or saint?"""
    from app.ingest.gazetteer import lookup

    if j < 1 or j + 1 >= len(doc) or not _capital(doc[j + 1]):
        return False
    if doc[j + 1].lower_ in cue("facility_word"):
        return True  # "Saint Paul's Cathedral", "St Mary's Hospital": one site's name
    return bool(lookup(f"{doc[j - 1].text}{doc[j].text} {doc[j + 1].text}"))


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """Maximal runs of capitalized tokens joined by name connectors ('Deir al-Balah')."""
    runs, i = [], 0
    while i < len(doc):
        whole = _joined_name(doc, i)
        if whole > i:
            runs.append((i, whole))
            i = whole
            continue
        if not (_capital(doc[i]) and doc[i].text.replace("’", "").replace("'", "").isalpha()):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and _continues(doc, j):
            j += 1
        while j > i and doc[j - 1].lower_ in cue("connector"):
            j -= 1
        i = _trim_opener(doc, i, j)
        runs.append((i, j))
        i = max(j, i + 1)
    return runs


def _joined_name(doc: Doc, i: int) -> int:
    """'St. Vincent and the Grenadines', 'Trinidad and Tobago': a gazetteer name with 'and'
    inside that the ruler tagged whole stays one run (the end), else i."""
    from app.ingest.gazetteer import lookup

    if doc[i].ent_iob_ != "B":
        return i
    j = i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    if "and" not in {t.lower_ for t in doc[i + 1:j - 1]} or not lookup(doc[i:j].text):
        return i
    return j


def _trim_opener(doc: Doc, i: int, j: int) -> int:
    """'Near Mamfe, ...', 'Residents of Zalambessa say ...': a sentence's capitalized first
    word (a preposition, or a common noun before 'of') is not part of the name, unless the
    gazetteer knows the whole run ('Gulf of Aden')."""
    from app.ingest.gazetteer import lookup, lookup_region

    if j - i < 2 or not doc[i].is_sent_start:
        return i
    first, nxt = doc[i], doc[i + 1]
    opener = first.lower_ in cue("cue_word") or (
        first.tag_ in ("NN", "NNS") and nxt.lower_ == "of")
    text = doc[i:j].text
    if not opener or lookup(text) or lookup_region(text):
        return i
    k = i + 1
    while k < j - 1 and doc[k].lower_ in cue("connector"):
        k += 1
    return k


def _extend(doc: Doc, cand: Candidate) -> None:
    """Swallow a following region, facility or feature word ('Kursk region', 'Nuseirat
    refugee camp', 'Bab el-Mandeb strait'); a capitalized one already in the run counts too."""
    last = doc[cand.end - 1].lower_
    if cand.end - cand.start > 1 and last in cue("region_word"):
        cand.form = "region"
        return
    if cand.end - cand.start > 1 and last in cue("facility_word") | cue("feature_word"):
        cand.form = "facility"
        return
    if cand.end >= len(doc):
        return
    nxt = doc[cand.end].lower_
    if nxt in cue("region_word") and not (nxt in ("state", "states") and cand.end + 1 < len(doc)
                                    and doc[cand.end + 1].lower_ == "of"):
        cand.form, cand.end = "region", cand.end + 1
        return
    for k in range(cand.end, min(cand.end + 3, len(doc))):
        word = doc[k].lower_
        if word in cue("facility_word") | cue("feature_word"):
            cand.form, cand.end = "facility", k + 1
            return
        if word not in cue("modifier"):
            return


def _plural_region_conjuncts(doc: Doc, cands: list[Candidate]) -> None:
    """'the Belgorod and Kursk regions': the first conjunct is a region too."""
    for prev, cur in pairwise(cands):
        if cur.form == "region" and doc[cur.end - 1].lower_.endswith("s") and prev.form == "plain":
            between = {t.lower_ for t in doc[prev.end:cur.start]}
            if between and between <= {",", "and"}:
                prev.form = "region-bare"


def _mark_lists(doc: Doc, cands: list[Candidate]) -> None:
    """Members of a comma/'and' list share support (group id in .listed).

    A real list has three members or an 'and'/'or'; "Tokyo, Secretary of State ..." is a
    clause boundary, not a list.
    """
    groups: list[list[Candidate]] = []
    for prev, cur in pairwise(cands):
        gap = doc[prev.end:cur.start]
        words = {t.lower_ for t in gap}
        possessive = any(t.tag_ == "POS" for t in doc[cur.end:cur.end + 1])
        if gap and words <= {",", "and", "the", "or", ";"} and len(gap) <= 3 and not possessive:
            if groups and groups[-1][-1] is prev:
                groups[-1].append(cur)
            else:
                groups.append([prev, cur])
    for number, group in enumerate(groups, start=1):
        joined = any(t.lower_ in ("and", "or") for a, b in pairwise(group)
                     for t in doc[a.end:b.start])
        if len(group) >= 3 or joined:
            colon = group[0].start > 0 and doc[group[0].start - 1].text == ":"
            for cand in group:
                cand.listed = number
            group[0].cue = group[0].cue or (1 if colon else 0)


def candidates(doc: Doc) -> list[Candidate]:
    """Every token run that could be a place, with cue, label and form evidence."""
    from app.ingest.place_context import cue_evidence

    out = []
    for start, end in _runs(doc):
        level, word, motion = cue_evidence(doc, start, end)
        cand = Candidate(start, end, cue=level, cue_word=word, motion=motion)
        labels = {t.ent_type_ for t in doc[start:end] if t.ent_type_}
        cand.label = next(iter(labels & PLACE_LABELS), next(iter(labels), ""))
        text = doc[start:end].text
        if cand.label in SKIP_LABELS or text.lower() in demonyms() or GLUED.search(text):
            continue
        _extend(doc, cand)
        out.append(cand)
    _plural_region_conjuncts(doc, out)
    _mark_lists(doc, out)
    out.extend(_demonym_candidates(doc))
    return sorted(out, key=lambda c: c.start)


def _demonym_candidates(doc: Doc) -> list[Candidate]:
    """'Russian villages', 'Ukrainian soil': a demonym before a generic place noun."""
    out = []
    for tok in doc[:-1]:
        if tok.lower_ in demonyms() and tok.text[0].isupper():
            nxt = doc[tok.i + 1]
            if nxt.lower_ in cue("place_noun") or (nxt.lower_ in ("border", "frontline")
                                             and tok.i + 2 < len(doc)
                                             and doc[tok.i + 2].lower_ in cue("place_noun")):
                out.append(Candidate(tok.i, tok.i + 1, form="demonym"))
    return out


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
    cached = doc.user_data.get(PLACES_KEY)
    if cached is None:
        cached = doc.user_data[PLACES_KEY] = _find_places(doc)
    return list(cached)


def _find_places(doc: Doc) -> list[PlaceMention]:
    from app.ingest.metonymy import is_government_metonym
    from app.ingest.place_filters import attributive, other_reading, surnames
    from app.ingest.place_resolve import Resolver

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


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns: curated names, countries, capitals and '<region> oblast' forms."""
    from app.ingest.gazetteer import ruler_patterns as gazetteer_patterns

    return gazetteer_patterns()

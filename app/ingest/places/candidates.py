"""Place candidates: capitalized token runs that may name a place, with their evidence.

A run needs support to count (a place label, a locative cue, a region or facility word, a
list of places, a strong entry); this module collects that evidence, ``filters`` drops other
readings and ``resolve`` picks the gazetteer entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Token

from app.ingest.gazetteer import lookup, lookup_region
from app.ingest.lexicon import cue, demonyms
from app.ingest.places.context import cue_evidence

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


def is_capitalized(token: Token) -> bool:
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
    if is_capitalized(doc[j]) or (doc[j].is_digit and len(doc[j]) <= 3
                                  and is_capitalized(doc[j - 1])):
        return True  # "Tower 22"
    if j + 1 >= len(doc):
        return False
    word, nxt = doc[j].lower_, doc[j + 1]
    if word == "-" and nxt.lower_ in cue("hyphen_article") | cue("connector"):
        return j + 2 < len(doc) and doc[j + 2].text == "-"  # "Port-au-Prince"
    if not (is_capitalized(nxt) or nxt.text == "-"):
        return False
    return word in cue("connector") or (word in cue("hyphen_article") and nxt.text == "-")


def _possessive_name(doc: Doc, j: int) -> bool:
    """Is "A's B" around the possessive token j one name: a gazetteer name, or a site named
    for a person or saint?"""
    if j < 1 or j + 1 >= len(doc) or not is_capitalized(doc[j + 1]):
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
        if not (is_capitalized(doc[i]) and doc[i].text.replace("’", "").replace("'", "").isalpha()):
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

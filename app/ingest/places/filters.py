"""Readings that beat a place reading for a capitalized name the gazetteer knows.

A name found in GeoNames is not a place when the text uses it otherwise: as a common word at
the start of a sentence ("More than 8,400 ..." is not Mora, Cameroon), as the surname of a
person named in full elsewhere in the article ("Gustavo Petro ... Petro said" is not Petros,
US), as a known non-state actor ("Fano fighters": the Amhara militia, not Fano, Italy), or
as an attribute of a non-place noun ("Kursk's governor", "US officials"). A strong locative
cue ("the town of Fano") still wins.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from app.ingest.lexicon import cue, stoplist
from app.ingest.metonymy import is_state_name
from app.ingest.places.candidates import PLACE_LABELS, Candidate, is_capitalized
from app.ingest.text.keys import fold
from app.vocabulary.actors import canonical_actor

_FUNCTION_POS = {"ADV", "ADJ", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART"}


def surnames(doc: Doc) -> frozenset[str]:
    """Last words of full person names in ``doc`` ("Petro" of "Gustavo Petro"), except
    country and capital names ("George Washington" does not hide Washington)."""
    last = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2
            and ent[0].lower_ not in cue("cue_word")}  # "Near Mamfe" is no full name
    return frozenset(name for name in last if not is_state_name(name))


def other_reading(doc: Doc, cand: Candidate, names: frozenset[str]) -> bool:
    """Does a non-place reading of this candidate win (see module docstring)?"""
    if cand.form == "demonym":
        return False
    text = doc[cand.start:cand.end].text
    if fold(text) in stoplist() or organisation_name(doc, cand) or _operation(doc, cand):
        return True
    if cand.form != "plain" or cand.cue >= 2:
        return False
    if cand.end - cand.start == 1 and _common_word(doc, cand):
        return True
    return text in names or _known_actor(text)


def organisation_name(doc: Doc, cand: Candidate) -> bool:
    """'the Pakistan Institute for Conflict ...', 'the Armed Forces of Ukraine': a name whose
    later word is an organisation noun names a body, and its place words are not places."""
    words = doc[cand.start:cand.end]
    return any(t.lower_ in cue("org_word") and words[k - 1].lower_ not in cue("facility_modifier")
               for k, t in enumerate(words) if k > 0)


def _operation(doc: Doc, cand: Candidate) -> bool:
    """'the Claw-Lock operation zone', 'Operation Sindoor': a code name beside the word
    'operation' names a military operation, not a place."""
    words = cue("operation_word")
    before = doc[cand.start - 1].lower_ if cand.start > 0 else ""
    after = doc[cand.end].lower_ if cand.end < len(doc) else ""
    return before in words or after in words or doc[cand.start].lower_ in words


def _common_word(doc: Doc, cand: Candidate) -> bool:
    """A stop word, or a sentence-initial function word the parser does not call a name."""
    tok = doc[cand.start]
    if tok.is_stop:
        return True
    return bool(tok.is_sent_start) and tok.pos_ in _FUNCTION_POS and cand.label not in PLACE_LABELS


@lru_cache(maxsize=4096)
def _known_actor(text: str) -> bool:
    """A non-state actor's name (armed group, organisation, media, person); capitals that
    double as an organisation's metonym ("Brussels" for the EU) stay places."""
    hit = canonical_actor(text)
    return hit is not None and hit[1] != "state" and not is_state_name(text)


def attributive(doc: Doc, cand: Candidate) -> bool:
    """'Kursk's acting governor', 'US officials': the name modifies a non-place noun."""
    span = doc[cand.start:cand.end]
    root = span.root
    head = root.head
    nxt = doc[cand.end] if cand.end < len(doc) else None
    if nxt is not None and nxt.text == "-" and cand.form == "plain":
        return True  # "a Britain-based monitor", "Israel-Gaza war"
    if root.dep_ == "poss" or (nxt is not None and nxt.tag_ == "POS"):
        after = doc[cand.end + 1] if cand.end + 1 < len(doc) else None
        target = head if head.i >= cand.end else after
        if target is None or target.ent_type_ == "PERSON":
            return True
        return target.lower_ not in _place_heads() and not is_capitalized(target)
    if cand.form == "plain" and root.dep_ in ("compound", "amod", "nmod") and head.i >= cand.end:
        return head.is_lower and head.lower_ not in _place_heads()
    return False


@lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    """Nouns a place name may modify and stay a place ("Syria's second city", "Goma airport")."""
    return cue("place_noun") | cue("facility_word") | cue("region_word") | cue("feature_word")

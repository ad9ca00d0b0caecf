"""Locative evidence around a place candidate: the cue word before it ("in", "the town of",
"moved north from"), the parse ("occupied X", "X had been shelled", "X, a strategic town")
and a generic place noun after it ("the X area of Y"). Split from ``places`` to keep each
module small; the word lists are the roles of data/place_cues.csv.
"""

from __future__ import annotations

from spacy.tokens import Doc

from app.ingest.lexicon import cue


def cue_evidence(doc: Doc, start: int, end: int) -> tuple[int, str, bool]:
    """(cue level 0-2, the cue word, motion verb?) for the name run doc[start:end]."""
    level = max(_has_cue(doc, start), _syntactic_cue(doc, start, end),
                2 if _area_after(doc, end) else 0)
    return level, _cue_word(doc, start), _motion_cue(doc, start)

def _cue_index(doc: Doc, start: int) -> int:
    """Index of the word before a name, skipping articles and directions (-1 if none)."""
    k = start - 1
    while k >= 0 and (doc[k].lower_ in ("the", "a", "downtown", "besieged", "occupied")
                      or doc[k].lower_ in cue("direction")):
        k -= 1
    return k


def _cue_word(doc: Doc, start: int) -> str:
    k = _cue_index(doc, start)
    return doc[k].lower_ if k >= 0 else ""


def _has_cue(doc: Doc, start: int) -> int:
    k = _cue_index(doc, start)
    if k < 0:
        return 0
    word = doc[k].lower_
    if word == "of" and k > 0 and doc[k - 1].lower_ in cue("of_noun"):
        return 2
    if word in ("villages", "towns", "village", "town", "city", "cities", "camp", "port"):
        return 2
    return 1 if word in cue("cue_word") or doc[k].lemma_.lower() in cue("cue_verb") else 0


def _motion_cue(doc: Doc, start: int) -> bool:
    """'moved north from X', 'missiles fired from X': a preposition that alone also
    precedes people ('a letter from X') is locative under a motion verb."""
    k = _cue_index(doc, start)
    if k < 0 or doc[k].lower_ not in cue("weak_cue"):
        return False
    head = doc[k].head
    for _ in range(2):  # through an adverb: "moved north from"
        if head.pos_ == "VERB":
            return head.lemma_.lower() in cue("motion_verb")
        head = head.head
    return False


def _area_after(doc: Doc, end: int) -> bool:
    """'the Mir Ali area of North Waziristan': a generic place noun after the name."""
    return end < len(doc) and doc[end].lower_ in cue("area_after")


def _syntactic_cue(doc: Doc, start: int, end: int) -> int:
    """Cues the parse gives: 'militants occupied X' (object of a conquest verb: 2), 'X had
    been targeted' (passive subject of a locative verb: 1), 'X, a strategic town' (2)."""
    root = doc[start:end].root
    verb = root.head.lemma_.lower()
    if root.dep_ == "dobj" and verb in cue("strong_cue_verb"):
        return 2
    if root.dep_ == "nsubjpass" and verb in cue("cue_verb") | cue("strong_cue_verb"):
        return 2 if verb in cue("strong_cue_verb") else 1
    return 2 if _appositive_place(doc, end) else 0


def _appositive_place(doc: Doc, end: int) -> bool:
    """'Paletwa, a strategic town in ...', 'Sittwe, the state capital': a place noun right
    after the comma, behind at most an article and two modifiers."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    k = end + 1
    if doc[k].lower_ in ("a", "an", "the"):
        k += 1
    if k + 2 < len(doc) and doc[k + 1].tag_ == "POS":
        k += 2  # "Humera, the zone's main town"
    for j in range(k, min(k + 3, len(doc))):
        if doc[j].lower_ in cue("appositive_noun"):
            return True
        if doc[j].pos_ not in ("ADJ", "NOUN") or not doc[j].is_lower:
            return False
    return False

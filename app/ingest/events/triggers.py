"""Trigger words and phrases: where a sentence reports that something happened.

A trigger is a token (or a run of tokens) whose lemmas match a row of ``data/triggers.csv``
with the right part of speech and whose conditions hold in the sentence: ``armed`` (the
sentence reads as conflict reporting: an armed actor, a weapon, a force, a strong conflict
word or another trigger), ``place_obj`` (the verb's object or subject is a place: "seized the
town", not "seized weapons"), ``weapon_obj`` (a weapon is destroyed: "destroyed a drone") and
``with:`` (a companion word: "signed" for an agreement, "base" for setting one up).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from app.ingest.events import lexicon
from app.ingest.events.lexicon import TriggerRow

PLACE_NOUNS = frozenset({"city", "town", "village", "airport", "base", "area", "territory",
                         "district", "province", "region", "neighbourhood", "neighborhood",
                         "suburb", "crossing", "camp", "hill", "bridge", "port", "capital",
                         "locality", "settlement", "outskirts", "centre", "center", "part",
                         "most", "control", "county", "state", "junction", "road", "hub"})
ARMED_WORDS = frozenset({"weapon", "gun", "rifle", "armed", "gunman", "gunmen", "militia",
                         "guerrilla", "ammunition", "bullet", "troops", "soldier"})
SPAN = 30
NOMINAL_DEPS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "compound", "amod"})
EVENT_NOUNS = frozenset({"launch", "fire", "attack", "strike", "barrage", "salvo", "raid",
                         "explosion", "blast", "assault", "shelling", "bombardment", "ambush",
                         "round", "shell"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "pobj", "attr", "oprd", "nsubj"})


@dataclass(frozen=True)
class Trigger:
    """A matched trigger: its head token (the one the parse relates to the rest)."""

    token: Token
    row: TriggerRow
    start: int  # first and last+1 token index of the matched phrase in the doc
    end: int


def lemma(token: Token) -> str:
    return token.lemma_.lower()


@cache
def _weapon_lemmas() -> frozenset[str]:
    return frozenset(w[-1] for w in lexicon.phrases("weapons.csv", "weapon", "type")) | {"boat"}


def sentence_words(sent: SpacySpan) -> frozenset[str]:
    """Lemmas and lower-cased forms of the sentence: what ``with:`` conditions look for."""
    return frozenset(w for t in sent for w in (lemma(t), t.lower_))


def armed_context(words: Collection[str], has_armed_actor: bool) -> bool:
    """The sentence reads as conflict reporting, not sport, politics or weather."""
    if has_armed_actor or any(w in ARMED_WORDS for w in words):
        return True
    strong = lexicon.conflict_cues("strong")
    forces = {w[-1] for w, t in lexicon.phrases("targets.csv", "word", "target").items()
              if t == "forces"}
    return any(w in strong or w in forces or w in _weapon_lemmas() for w in words)


def find_triggers(sent: SpacySpan, place_tokens: Collection[int], *,
                  has_armed_actor: bool) -> list[Trigger]:
    """The triggers of one sentence in text order, longest phrase first where they overlap;
    a weapon that a disrupting trigger stops ("intercepted three missiles") is no trigger."""
    found = _all_triggers(sent, place_tokens, has_armed_actor=has_armed_actor)
    stopped = {k for d in found if d.row.type == "disrupted_weapons"
               for o in _objects(d.token) for k in _near_subtree(o)}
    return [t for t in found if t.token.i not in stopped]


def _all_triggers(sent: SpacySpan, place_tokens: Collection[int], *,
                  has_armed_actor: bool) -> list[Trigger]:
    words = sentence_words(sent)
    table = lexicon.triggers_by_first()
    found: list[Trigger] = []
    i, end = sent.start, sent.end
    doc = sent.doc
    while i < end:
        rows = table.get(lemma(doc[i]), ()) + table.get(doc[i].lower_, ())
        match = next((m for row in rows
                      if (m := _match(doc, i, end, row, words, place_tokens)) is not None), None)
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match.end
    armed = has_armed_actor or armed_context(words, False) or any(
        not t.row.armed for t in found)
    return [t for t in found if armed or not t.row.armed or _acts_on_people(t.token)
            or _reacted_to(t.token)]


def _reacted_to(token: Token) -> bool:
    """"The UN condemned the attack": a reaction's object refers to an attack told before."""
    head = token.head
    return token.dep_ == "dobj" and lemma(head) in lexicon.cues("reaction")


@cache
def _target_words() -> frozenset[str]:
    return frozenset(w[-1] for w in lexicon.phrases("targets.csv", "word", "target"))


def _acts_on_people(token: Token) -> bool:
    """"settlers attacked farmers": an attack on people or on forces needs no other cue."""
    return any(lemma(o) in _target_words() for o in _objects(token) if o.dep_ != "nsubj")


def _match(doc, i: int, end: int, row: TriggerRow, words: Collection[str],  # type: ignore[no-untyped-def]
           place_tokens: Collection[int]) -> Trigger | None:
    n = len(row.lemmas)
    if i + n > end:
        return None
    tokens = [doc[k] for k in range(i, i + n)]
    if any(lemma(t) != w and t.lower_ != w for t, w in zip(tokens, row.lemmas, strict=True)):
        return None
    head = _head(tokens, row.pos)
    if head is None:
        return None
    if row.needs and not row.needs & set(words):
        return None
    if row.type == "agreement" and not _agreed(head, row.needs):
        return None
    if row.place_obj and not _has_place_object(head, place_tokens):
        return None
    if row.weapon_obj and not _has_weapon_object(head):
        return None
    return Trigger(head, row, i, i + n)


def _agreed(head: Token, needs: frozenset[str]) -> bool:
    """An agreement is signed or reached in the parse, not only somewhere in the sentence
    ("mediators in the ceasefire talks ... efforts to reach a truce")."""
    near = [head.head, head.head.head, *head.children]
    near += [g for c in head.children if c.dep_ == "compound" for g in c.children]
    return any(lemma(t) in needs for t in near)


def _head(tokens: list[Token], pos: str) -> Token | None:
    """The phrase's token of the required part of speech (verbs lead, nouns end a phrase)."""
    if pos == "ANY":
        verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
        return verbs[0] if verbs else tokens[-1]
    wanted = ("VERB", "AUX") if pos == "VERB" else ("NOUN", "PROPN") if pos == "NOUN" else (pos,)
    heads = [t for t in tokens if t.pos_ in wanted
             and not (pos == "VERB" and t.dep_ in NOMINAL_DEPS)]
    if not heads:
        return None
    head = heads[0] if pos == "VERB" else heads[-1]
    if len(tokens) == 1 and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound" \
            and lemma(head.head) not in EVENT_NOUNS:
        return None  # "attack helicopter", "artillery positions": a kind of thing, no event
    if head.pos_ in ("VERB", "AUX") and head.dep_ == "conj" and head.head.pos_ in ("NOUN", "ADJ"):
        return None  # "the dead and wounded"
    return head


def _objects(head: Token) -> list[Token]:
    """The verb's objects and subjects, and the objects of its prepositions."""
    out: list[Token] = []
    for child in head.children:
        if child.dep_ in OBJECT_DEPS:
            out.append(child)
        elif child.dep_ in ("prep", "agent", "prt"):
            out.extend(g for g in child.children if g.dep_ == "pobj")
    if head.dep_ in ("acl", "relcl", "amod"):
        out.append(head.head)
    return out


def _has_place_object(head: Token, place_tokens: Collection[int]) -> bool:
    for obj in _objects(head):
        if obj.i in place_tokens or lemma(obj) in PLACE_NOUNS:
            return True
        if any(k.i in place_tokens for k in obj.children if k.dep_ in ("pobj", "prep", "compound")):
            return True
        if any(g.i in place_tokens for p in obj.children if p.dep_ == "prep" for g in p.children):
            return True
    return False


def _near_subtree(token: Token) -> list[int]:
    """Token indices of ``token``'s phrase: its subtree, cut to ``SPAN`` tokens around it so a
    hostile list costs a bounded amount per trigger."""
    doc = token.doc
    lo, hi = max(token.left_edge.i, token.i - SPAN), min(token.right_edge.i, token.i + SPAN)
    return [k for k in range(lo, hi + 1) if governs_within(token, doc[k])]


def governs_within(top: Token, token: Token) -> bool:
    current = token
    for _ in range(8):
        if current == top:
            return True
        if current.head is current:
            return False
        current = current.head
    return False


def _has_weapon_object(head: Token) -> bool:
    doc = head.doc
    return any(lemma(doc[k]) in _weapon_lemmas() for obj in _objects(head)
               for k in _near_subtree(obj))

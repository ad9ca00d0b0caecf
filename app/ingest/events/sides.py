"""The two sides of an event: actor1 (who acted) and actor2 (who was acted upon).

Read from the parse around the event's trigger word, the way an analyst reads the clause:
the subject of an active trigger verb or the agent ("by X") of a passive one acted; a trigger
noun's possessive or modifier ("Israel's strike", "a Russian missile strike", "an al-Shabaab
ambush") acted, and so did the subject of the light verb that governs it ("US forces conducted
an airstrike"); the object, the passive subject and "on/against X" were acted upon. Each side's
noun phrase then resolves to an actor the actor stage found inside it, or, when the phrase only
describes a state's forces ("the army", "security forces", "SNA troops"), to the state of the
event's country; unarmed people are ``civilians``; "unidentified gunmen" stay unnamed unless the
text attributes the attack ("Al-Shabaab claimed responsibility"). Places never become sides.
Cue words live in ``events/data/sides_cues.csv``, state-force words and units in
``events/data/sides_forces.csv``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import cast

from spacy.tokens import Doc, Token

from app.ingest.knowledge import rows as ingest_rows
from app.ingest.text.doc_index import children, sentence_number, sentences, subtree
from app.ingest.text.doc_text import text_of
from app.ingest.types import ActorMention, Span
from app.vocabulary.actors import canonical_actor, table

_ACTING = {"state", "armed_group", "military_unit", "organization"}
_MOD_DEPS = {"poss", "compound", "amod", "nmod", "npadvmod"}
_INDEX = "frontwire.sides_actor_index"
_BEFORE, _AFTER = 1, 2  # sentences around the trigger read for attributions and victims
_TOKENS_BEFORE, _TOKENS_AFTER = 80, 160  # and at most this many tokens of them
_LOOK_BACK = 12  # actor mentions read back for the attack a definite noun refers to
_DEFINITE = {"the", "this", "that", "these", "those"}
_SEPARATORS = {"-", "–", "—", ")", ":", "|"}
_PRONOUNS = {"it", "they", "its", "their", "he", "she", "his", "her", "we", "our"}
_SKIP_DEPS = {"relcl", "acl", "advcl", "conj", "cc", "punct", "det", "prep"}


class _Unknown:
    """A side the text names only as unidentified ("gunmen", "a mob"): no actor, stop looking."""


UNKNOWN = _Unknown()
Side = ActorMention | _Unknown | None


@lru_cache(maxsize=8)
def _csv(name: str) -> tuple[dict[str, str], ...]:
    return ingest_rows(f"events/data/{name}")


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue name -> its words (lower case)."""
    return {r["cue"]: frozenset(r["values"].lower().split()) for r in _csv("sides_cues.csv")}


@lru_cache(maxsize=1)
def _forces() -> tuple[frozenset[str], dict[str, str]]:
    """(description words, unit acronym -> country): state forces not named as the state."""
    words = frozenset(r["term"] for r in _csv("sides_forces.csv") if r["kind"] == "description")
    units = {r["term"]: r["country"] for r in _csv("sides_forces.csv") if r["kind"] == "unit"}
    return words, units


@lru_cache(maxsize=1)
def _groups() -> dict[tuple[str, str], tuple[str, str]]:
    """(group noun, country) -> (actor name, kind): 'bandits' in Nigeria, 'settlers' in the West
    Bank."""
    return {(r["noun"], r["country"]): (r["name"], r["kind"]) for r in _csv("sides_groups.csv")}


@lru_cache(maxsize=1)
def _civilian_words() -> frozenset[str]:
    listed = {r["lemma"] for r in ingest_rows("figures/data/civilian_nouns.csv")
              if r["role"] == "victim"}
    return frozenset(listed) | cues()["civilian_extra"]


@lru_cache(maxsize=1)
def _states() -> dict[str, str]:
    """Country code -> the state's name as the actor dictionary writes it (first state row)."""
    out: dict[str, str] = {}
    for row in table()[1]:
        if row.kind == "state" and row.country:
            out.setdefault(row.country, row.name)
    return out


def find_sides(trigger: Token, actors: Sequence[ActorMention], *, event_type: str,
               country_hint: str | None) -> tuple[ActorMention | None, ActorMention | None]:
    """actor1 (who acted) and actor2 (acted upon) of the event whose trigger word is `trigger`.

    ``event_type`` is ACLED's "event type / sub-event type" or our own type name ("air_strike",
    "riot"): it decides whose sides are read alike (protests, battles, remote violence...).
    ``country_hint`` is the event's place country: unnamed state forces are its state."""
    ctx = _Context(trigger, actors, country_hint)
    family = ctx.family = _family(event_type)
    if family in {"protest", "riot"}:
        return _protest_sides(ctx, family)
    agent, patient = _slots(trigger)
    if not agent and trigger.lemma_.lower() in cues()["with_verb"]:
        both = _between(trigger)  # "fighting broke out on Monday between X and Y"
        agent, patient = both[:1], both[1:] + patient
    actor1 = ctx.first(agent, "initiator")
    actor2 = ctx.first(patient, "target", exclude=actor1)
    if actor1 is None:
        actor1 = ctx.weapon_owner() or ctx.attributed() or ctx.initiator_in_sentence(actor2) \
            or ctx.antecedent(actor2)
    elif actor1 is UNKNOWN:
        actor1 = ctx.attributed()
    if actor2 is None and family == "battle":
        actor2 = ctx.other_party(actor1)
    if actor2 is None and family in {"remote", "civilians"}:
        actor2 = ctx.victims_named() or ctx.civilian_victims()
    if actor2 is None and family in {"civilians", "arrest"} and not _armed_patient(patient):
        actor2 = ctx.civilians(trigger)
    one, two = _known(actor1), _known(actor2)
    if one is not None and two is not None and one.name == two.name and family != "battle":
        two = None  # "army units set up a military post": no other side
    return one, two


def _known(side: Side) -> ActorMention | None:
    """An actor under its dictionary name ('RSF' -> 'Rapid Support Forces')."""
    if not isinstance(side, ActorMention):
        return None
    name = side.name
    low = name.lower()
    for noun in cues()["group_noun"]:
        if low.startswith(noun + " of "):
            name = name[len(noun) + 4:]  # "Fighters of the National Resistance Front"
            break
    found = canonical_actor(name)
    if found is not None and found[0] != side.name:
        return replace(side, name=found[0], kind=found[1])
    return side if name == side.name else replace(side, name=name)


def _family(event_type: str) -> str:
    """ACLED event type or our own type -> the family whose sides are read alike."""
    low = event_type.lower()
    for word, family in (("protest", "protest"), ("riot", "riot"), ("mob", "riot"),
                         ("civilian", "civilians"), ("abduct", "civilians"),
                         ("kidnap", "civilians"), ("casualt", "civilians"), ("bomb", "remote"),
                         ("arrest", "arrest"), ("battle", "battle"), ("clash", "battle"),
                         ("assault", "battle"), ("territor", "battle"),
                         ("explosion", "remote"), ("remote", "remote"), ("strike", "remote"),
                         ("shelling", "remote"), ("grenade", "remote"), ("suicide", "remote"),
                         ("chemical", "remote"), ("loot", "civilians"), ("sexual", "civilians"),
                         ("strategic", "strategic"), ("base", "strategic")):
        if word in low:
            return family
    return "other"


def _slots(trigger: Token) -> tuple[list[Token], list[Token]]:
    """Heads of the noun phrases that acted and that were acted upon, nearest first."""
    if trigger.pos_ in {"VERB", "AUX"} or trigger.tag_.startswith("VB"):
        return _verb_slots(trigger)
    return _noun_slots(trigger)


def _verb_slots(verb: Token) -> tuple[list[Token], list[Token]]:
    kids = children(verb)
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in kids) or (
        verb.dep_ == "acl" and not any(c.dep_ == "dobj" for c in kids))
    agent: list[Token] = []
    patient: list[Token] = []
    for c in kids:
        if c.dep_ == "agent":
            agent += [g for g in children(c) if g.dep_ == "pobj"]
        elif c.dep_ == "nsubj":
            agent.append(c)
        elif c.dep_ in {"dobj", "nsubjpass"}:
            patient.append(c)
        elif c.dep_ == "prep":
            patient += _prep_objects(c, verb)
        elif c.dep_ == "dative":
            patient.append(c)
    if passive and verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        patient.append(verb.head)  # "a convoy ambushed by gunmen"
    agent.sort(key=lambda t: abs(verb.i - t.i))  # "PORT SUDAN (Wire) - Sudan's RSF shelled"
    if verb.dep_ == "acl" and not passive and verb.head.pos_ in {"NOUN", "PROPN"}:
        agent.append(verb.head)  # "Armed bandits abducted 30 villagers" parsed as a noun phrase
    if not agent and not passive:
        agent += _inherited_subject(verb)
    agent = [_antecedent(a) for a in agent]
    if verb.lemma_.lower() in cues()["with_verb"] or not patient:
        patient += [c for a in agent for c in children(a) if c.dep_ == "conj"]  # "X and Y fought"
    if passive and not agent:
        agent += [c for a in kids if a.dep_ == "advcl" for c in children(a)
                  if c.dep_ == "nsubj"]  # "were killed when Maoists triggered an IED"
    if verb.dep_ == "relcl" and not passive and not agent:
        agent.append(verb.head)  # "the militants who stormed the camp"
    if any(c.dep_ == "dobj" and c.lower_ == "fire" for c in kids):
        patient += [g for c in kids if c.dep_ == "prep" and c.lower_ == "to"
                    for g in children(c) if g.dep_ == "pobj"]  # "set fire to granaries"
    patient += [g for c in kids if c.dep_ == "dobj" for g in children(c)
                if g.dep_ == "prep" and g.lower_ in cues()["patient_prep"]
                for g in children(g) if g.dep_ == "pobj"]  # "opened fire on protesters"
    return agent, patient


def _around(trigger: Token, first: int = 0, last: int = 0) -> list[Token]:
    """The tokens of the trigger's sentence (and ``first``/``last`` sentences around it),
    clipped to a fixed number of tokens either side: a sentence of thousands of words (a
    hostile text) costs each trigger a bounded read, so an article stays near-linear."""
    doc = trigger.doc
    number = sentence_number(doc, trigger.i)
    sents = sentences(doc)[max(number - first, 0):number + last + 1]
    lo = max(sents[0].start, trigger.i - _TOKENS_BEFORE)
    hi = min(sents[-1].end, trigger.i + _TOKENS_AFTER)
    return list(doc[lo:hi])


def _between(trigger: Token) -> list[Token]:
    """The two sides of 'between X and Y' anywhere in the trigger's clause or sentence."""
    for tok in _around(trigger):
        if tok.lower_ == "between" and tok.dep_ == "prep":
            return _prep_objects(tok, tok.head)
    return []


def _antecedent(tok: Token) -> Token:
    """'the army announced it had retaken', 'Russia claimed that its forces had captured':
    a pronoun (or a phrase owned by one) stands for the subject of the verb that reports it."""
    pron = tok if tok.lower_ in _PRONOUNS else next(
        (c for c in children(tok) if c.dep_ == "poss" and c.lower_ in _PRONOUNS), None)
    if pron is None:
        return tok
    verb = tok.head
    for _ in range(4):
        if verb.head.i == verb.i:
            break
        verb = verb.head
        subj = [c for c in children(verb) if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS]
        if subj and verb.pos_ in {"VERB", "AUX"}:
            return subj[0]
    return tok


def _inherited_subject(verb: Token) -> list[Token]:
    """'... and killed five', 'killing three', 'continued to shell': the governing verb's
    subject."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in {"conj", "advcl", "xcomp", "ccomp", "pcomp"} or tok.head.i == tok.i:
            return []
        tok = tok.head
        subj = [c for c in children(tok) if c.dep_ == "nsubj"]
        if subj:
            return subj
        by = [g for c in children(tok) if c.dep_ == "agent" for g in children(c)
              if g.dep_ == "pobj"]
        if by:
            return by
        if tok.pos_ in {"NOUN", "PROPN"}:
            return []
    return []


def _prep_objects(prep: Token, governor: Token) -> list[Token]:
    """'on/against X' names the side attacked; 'with X' the other side of a clash."""
    word = prep.lower_
    ok = word in cues()["patient_prep"] or (
        word == "with" and governor.lemma_.lower() in cues()["with_verb"])
    if word == "between":
        objs = [g for g in children(prep) if g.dep_ == "pobj"]
        return objs + [c for o in objs for c in children(o) if c.dep_ == "conj"]
    return [g for g in children(prep) if g.dep_ == "pobj"] if ok else []


def _noun_slots(noun: Token) -> tuple[list[Token], list[Token]]:
    agent = [c for c in children(noun) if c.dep_ in _MOD_DEPS and c.i < noun.i
             and (c.pos_ in {"NOUN", "PROPN", "PRON"} or c.dep_ == "poss" or c.ent_type_)]
    patient: list[Token] = []
    for c in children(noun):
        if c.dep_ == "acl" and c.lemma_.lower() in cues()["attribution"]:
            agent += [g for p in children(c) if p.dep_ in {"prep", "agent"}
                      for g in children(p) if g.dep_ == "pobj"]  # "a strike attributed to X"
        if c.dep_ == "prep" and c.lower_ == "by":
            agent += [g for g in children(c) if g.dep_ == "pobj"]
        elif c.dep_ == "prep" and c.lower_ == "between":
            both = _prep_objects(c, noun)
            agent, patient = agent + both[:1], patient + both[1:]
        elif c.dep_ == "prep":
            patient += _prep_objects(c, noun)
    gov = noun.head
    if noun.dep_ in {"dobj", "attr"} and gov.lemma_.lower() in cues()["light_verb"]:
        light_agent, light_patient = _verb_slots(gov)
        agent += light_agent
        patient += [p for p in light_patient if p.i != noun.i]
    elif noun.dep_ == "nsubj":
        patient += [c for c in children(gov) if c.dep_ == "dobj"]
        for c in children(gov):
            objs = _prep_objects(c, gov) if c.dep_ == "prep" else []
            if c.lower_ == "between":  # "fighting broke out between M23 and the army"
                agent, patient = agent + objs[:1], patient + objs[1:]
            else:
                patient += objs
    elif noun.dep_ == "pobj" and gov.head.pos_ in {"VERB", "AUX"}:
        agent += [c for c in children(gov.head) if c.dep_ == "nsubj"]  # "killed in an ambush by"
    return agent, patient


def _armed_patient(patient: list[Token]) -> bool:
    words = cues()["armed_patient"]
    return any(t.lower_ in words for t in patient)


@dataclass
class _ActorIndex:
    """The actors of one document by token and by start offset, built once per document."""

    by_token: dict[int, ActorMention]
    starts: list[int]
    ordered: list[ActorMention]

    claimed: list[ActorMention] | None = None

    def between(self, lo: int, hi: int) -> list[ActorMention]:
        return self.ordered[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]

    def attributed(self, doc: Doc) -> list[ActorMention]:
        """The actors a claim or suspicion names ('X claimed responsibility'), found once."""
        if self.claimed is None:
            self.claimed = [m for m in self.ordered if _is_attributed(doc, m)]
        return self.claimed


def _is_attributed(doc: Doc, m: ActorMention) -> bool:
    if m.kind not in {"armed_group", "state", "military_unit"}:
        return False
    span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    up = [root.head, root.head.head, root.head.head.head]
    near = up + [c for t in up[:2] for c in children(t)]
    words = cues()["attribution"]
    return any(t.lemma_.lower() in words or t.lower_ in words for t in near)


def _actor_index(doc: Doc, actors: Sequence[ActorMention]) -> _ActorIndex:
    """Kept in the document for the list it was built from: an article's events share it."""
    ends = (actors[0].span, actors[-1].span) if actors else ()
    key = (id(actors), len(actors), ends)
    memo = doc.user_data.get(_INDEX)
    if memo is not None and memo[0] == key:
        return cast(_ActorIndex, memo[1])  # user_data is typed Any: this module wrote it
    by_token: dict[int, ActorMention] = {}
    for m in actors:
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is not None and m.kind in _ACTING | {"person"}:
            for tok in span:
                by_token.setdefault(tok.i, m)
    ordered = sorted(actors, key=lambda m: m.span.start)
    index = _ActorIndex(by_token, [m.span.start for m in ordered], ordered)
    doc.user_data[_INDEX] = (key, index)
    return index


class _Context:
    """The actor mentions of the trigger's document, by token, and the event's country."""

    def __init__(self, trigger: Token, actors: Sequence[ActorMention], hint: str | None):
        self.trigger, self.doc, self.hint = trigger, trigger.doc, hint
        index = _actor_index(trigger.doc, actors)
        self.by_token = index.by_token
        # the actors of the trigger's sentence and its neighbours: where an attribution
        # ("Al-Shabaab claimed responsibility") or the other side is told
        self.index = index
        self.window = _chars(_around(trigger, _BEFORE, _AFTER))
        self.actors = index.between(*self.window)
        self.sentence = _chars(_around(trigger))

    def first(self, heads: Sequence[Token], role: str, exclude: Side = None) -> Side:
        """The first head that resolves to a side (an actor, civilians, or unidentified)."""
        for head in heads:
            side = self.resolve(head, role)
            if side is UNKNOWN:
                side = self._believed(head) or side
            if side is None or _same_span(side, exclude):
                continue
            return side
        return self._inside(heads) if role == "target" else None

    def _believed(self, head: Token) -> ActorMention | None:
        """'Armed men believed to be separatists kidnapped ...': the group they are said to be."""
        verb = head.head
        if head.dep_ != "nsubj" or verb.lemma_.lower() not in cues()["attribution"]:
            return None
        for comp in children(verb):
            if comp.dep_ != "xcomp":
                continue
            for attr in children(comp):
                obj = attr if attr.dep_ in {"attr", "acomp"} else next(
                    (g for g in children(attr) if g.dep_ == "pobj"), None) \
                    if attr.dep_ == "prep" else None
                side = self.resolve(obj, "initiator") if obj is not None else None
                if isinstance(side, ActorMention):
                    return side
        return None

    def _inside(self, heads: Sequence[Token]) -> Side:
        """'a vehicle carrying government forces', 'a convoy of SNA troops': a side inside the
        object phrase when the object itself is a thing."""
        for head in heads:
            for tok in _object_tokens(head):
                side = self._named([tok], tok) or self._state_force(tok, _phrase(tok))
                if side is not None:
                    return _with_role(side, "target")
        return None

    def resolve(self, head: Token, role: str) -> Side:
        """The side a noun phrase names: a known actor inside it, a state force, civilians."""
        head = _past_dateline(head)
        phrase = _phrase(head)
        lemma, low = head.lemma_.lower(), head.lower_
        if any(c.lower_ in cues()["former_word"] for c in children(head) if c.i < head.i):
            return self._civilians_at(head) if role == "target" else None  # "a former officer"
        named = self._named(phrase, head)
        if named is not None:
            return _with_role(named, role)
        state = self._state_force(head, phrase) or self._state_owned(head, phrase)
        if state is not None:
            return _with_role(state, role)
        if role == "target":
            return self._target_thing(head, phrase)
        if low in cues()["unknown_agent"] or lemma in cues()["unknown_agent"]:
            return UNKNOWN
        return None

    def _target_thing(self, head: Token, phrase: list[Token]) -> Side:
        """Unarmed people, or a place of theirs ('a livestock market'); a thing of the state's
        forces ('an army convoy', 'a FAMa vehicle', 'a police van') is the state."""
        lemma = head.lemma_.lower()
        person = head.ent_type_ == "PERSON" and head.head.lemma_.lower() in cues()["harm_verb"]
        if lemma in _civilian_words() or head.lower_ in _civilian_words() or person:
            return self._civilians_at(head)  # a named person only when harmed, not a place
        if lemma in cues()["civilian_place"] and self.family in {"remote", "civilians", "other"}:
            return self._civilians_at(head)
        return None

    family = "other"

    def _state_owned(self, head: Token, phrase: list[Token]) -> ActorMention | None:
        """'the junta's jets', 'an army convoy', 'a police van', 'a FAMa vehicle': a thing of
        the state's forces stands for them (not in a base or post the state sets up itself)."""
        lemma = head.lemma_.lower()
        if (self.family == "strategic" or lemma in _civilian_words()
                or lemma in cues()["civilian_place"]):
            return None
        words, units = _forces()
        mods = [t for t in phrase if t.i < head.i and t.dep_ in _MOD_DEPS]
        if any(t.lower_ in words or units.get(t.text) == self.hint for t in mods):
            return self._state(head, phrase)
        return None

    def _named(self, phrase: list[Token], head: Token) -> ActorMention | None:
        """The first actor the phrase names, in text order: a dictionary mention, a unit of the
        event's state ('SNA troops' in Somalia), a group word of its country ('bandits')."""
        grouped = head.lower_ in cues()["group_noun"] | cues()["unknown_agent"]
        units = _forces()[1]
        for tok in _head_first(phrase, head):
            if self.hint and units.get(tok.text) == self.hint:
                return self._state(head, phrase)
            m = self.by_token.get(tok.i)
            if m is not None and (m.kind in _ACTING or grouped and m.kind == "person"):
                return self._checked(m, head, phrase)
        group = next((g for t in [head, *phrase]
                      if (g := _groups().get((t.lower_, self.hint or ""))) is not None), None)
        if group is not None:
            return _mention(self.doc, head.left_edge.i, head.i + 1, group[0], group[1], self.hint)
        return self._unlisted_group(phrase, head) if grouped else None

    def _checked(self, hit: ActorMention, head: Token, phrase: list[Token]) -> ActorMention:
        units = _forces()[1]
        if self.hint and any(units.get(w) == self.hint for w in hit.span.text.split()):
            return self._state(head, phrase) or hit  # "SNA troops" in Somalia: its army
        if hit.kind == "state" and self.hint and _generic(self.doc, hit):
            return self._state(head, phrase) or hit  # "the army" resolved to another state
        if hit.kind in {"organization", "armed_group"} and canonical_actor(hit.name) is None \
                and _state_body(hit.name):
            return self._state(head, phrase) or hit  # "District Reserve Guard personnel"
        return hit

    def _unlisted_group(self, phrase: list[Token], head: Token) -> ActorMention | None:
        """'3R fighters', 'PTI supporters', 'members of the Nigeria Labour Congress': a proper
        name the dictionary lacks, owning a group noun, names the group (not a place, not a
        nationality, not a description such as 'Government forces')."""
        stop = _forces()[0] | cues()["not_a_name"]
        mods = [t for t in phrase if t.i < head.i and t.dep_ in {"compound", "nmod", "amod"}
                and (t.pos_ == "PROPN" or t.pos_ == "NOUN" and t.text != t.lower_)
                and t.ent_type_ not in {"GPE", "LOC", "NORP", "FAC", "DATE"}
                and t.lower_ not in stop]
        if not mods and head.dep_ in {"nsubj", "pobj"}:
            mods = _of_name(head)  # the actor ("members of X marched"), not a victim's office
        if not mods:
            return None
        first, last = mods[0].i, mods[-1].i + 1
        name = self.doc[first:last].text
        return _mention(self.doc, first, last, name, "armed_group", None)

    def _state_force(self, head: Token, phrase: list[Token]) -> ActorMention | None:
        words, units = _forces()
        if any(units.get(t.text) == self.hint for t in phrase if self.hint):
            return self._state(head, phrase)
        if head.lower_ not in words and head.lemma_.lower() not in words:
            return None
        owners = [t for t in phrase if t.i < head.i and t.dep_ in _MOD_DEPS
                  and (t.pos_ == "PROPN" or t.ent_type_ in {"NORP", "GPE", "ORG"})
                  and t.lower_ not in words]
        if owners or any(t.lower_ in {"rebel", "rebels", "militia"} for t in phrase):
            return None  # "Wagner troops", "rebel forces": not the state by description
        return self._state(head, phrase)

    def _state(self, head: Token, phrase: list[Token]) -> ActorMention | None:
        name = _states().get(self.hint or "")
        if name is None:
            return None
        first, last = min(t.i for t in phrase), max(t.i for t in phrase)
        return _mention(self.doc, first, last + 1, name, "state", self.hint)

    def _civilians_at(self, head: Token) -> ActorMention:
        return _mention(self.doc, head.left_edge.i, head.i + 1, "civilians", "civilians", None,
                        "target")

    def civilians(self, at: Token) -> ActorMention:
        return _mention(self.doc, at.i, at.i + 1, "civilians", "civilians", None, "target")

    def _event_tokens(self) -> list[Token]:
        """The trigger's sentence and the two after it: where an event's victims are told."""
        return [t for t in _around(self.trigger, 0, _AFTER) if t.i >= self.trigger.sent.start]

    def nearby_tokens(self) -> list[Token]:
        """The trigger's sentence and its neighbours (a bounded window, not the document)."""
        return _around(self.trigger, _BEFORE, _AFTER)

    def victims_named(self) -> ActorMention | None:
        """'killing two members of the Sinjar Resistance Units': the group whose people died."""
        for tok in self._event_tokens():
            if tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lemma_.lower() in cues()["harm_verb"]:
                side = self.resolve(tok, "target")
                if isinstance(side, ActorMention):
                    return side
        return None

    def civilian_victims(self) -> ActorMention | None:
        """Unarmed people among the dead or hurt of a strike: its actor2 is civilians."""
        words = _civilian_words()
        for tok in self._event_tokens():
            if tok.lemma_.lower() in words and tok.pos_ == "NOUN" \
                    and not any(c.lower_ in cues()["former_word"] for c in children(tok)):
                return self._civilians_at(tok)
        return None

    def weapon_owner(self) -> Side:
        """'a mine left by Russian forces', 'a mortar round fired by Houthi forces', 'an IED
        planted by suspected ISSP militants': the agent of a weapon's participle."""
        for tok in _around(self.trigger):
            verb = tok.head
            if tok.dep_ == "agent" and verb.dep_ == "acl" and verb.pos_ == "VERB" \
                    and verb.lemma_.lower() not in cues()["backing_verb"]:
                heads = [g for g in children(tok) if g.dep_ == "pobj"]
                side = self.first(heads, "initiator")
                if isinstance(side, ActorMention):
                    return side
        return None

    def attributed(self) -> ActorMention | None:
        """'X claimed responsibility', 'X is suspected', 'residents blamed X', 'suspected to be
        X': the attribution near the trigger, else the article's first one."""
        found = self.index.attributed(self.doc)
        lo, hi = self.window
        near = [m for m in found if lo <= m.span.start < hi]
        pick = near[0] if near else (found[0] if found else None)
        return _with_role(pick, "initiator") if pick is not None else None

    def initiator_in_sentence(self, other: Side) -> ActorMention | None:
        """An acting actor the actor stage marked as initiator in the trigger's sentence."""
        lo, hi = self.sentence
        for m in self.actors:
            if lo <= m.span.start < hi and m.role == "initiator" \
                    and m.kind in _ACTING and not _same(m, other):
                return m
        return None

    def antecedent(self, other: Side) -> ActorMention | None:
        """'The strike hit a village ...' after 'A Myanmar military jet bombed ...': a definite
        attack noun refers back to the attack told just before; its initiator acted."""
        noun = self.trigger
        if noun.pos_ in {"VERB", "AUX"}:
            noun = next((c for c in children(noun) if c.dep_ == "nsubj"), noun)
        definite = any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE or c.dep_ == "poss"
                       and c.ent_type_ in {"DATE", "TIME"} for c in children(noun))
        if noun.pos_ != "NOUN" or not definite:
            return None
        lo = self.sentence[0]
        k = bisect.bisect_left(self.index.starts, lo)
        before = [m for m in self.index.ordered[max(k - _LOOK_BACK, 0):k]
                  if m.role == "initiator" and m.kind in _ACTING and not _same(m, other)]
        return before[-1] if before else None

    def other_party(self, actor1: Side) -> ActorMention | None:
        """A battle's other side when the parse gave none: another armed actor in the sentence."""
        lo, hi = self.sentence
        for m in self.actors:
            if lo <= m.span.start < hi \
                    and m.kind in {"state", "armed_group", "military_unit"} \
                    and not _same(m, actor1) and not _backer(self.doc, m):
                return _with_role(m, "target")
        return None


def _past_dateline(head: Token) -> Token:
    """'BENI, Congo (Wire) - Rebels of the ADF killed': the dateline's place is parsed as the
    subject and the real one hangs off it as an apposition."""
    doc = head.doc
    stamp = head.text.isupper() and len(head.text) > 2 and head.i + 1 < len(doc) \
        and doc[head.i + 1].text == ","
    if not stamp:
        return head
    later = [c for c in children(head) if c.dep_ == "appos" and c.i > head.i
             and any(t.text in _SEPARATORS for t in doc[head.i:c.i])]
    return later[-1] if later else head


def _head_first(phrase: list[Token], head: Token) -> list[Token]:
    """The phrase in text order, except that a possessive ('Sudan's paramilitary Rapid
    Support Forces', 'Yemen's Houthis') goes after the head: it places the group, it does
    not name it."""
    owners = {t.i for c in children(head) if c.dep_ == "poss" for t in subtree(c)}
    if not owners:
        return phrase
    rest = [t for t in phrase if t.i not in owners]
    return rest + [t for t in phrase if t.i in owners]


def _of_name(head: Token) -> list[Token]:
    """'members of the Nigeria Labour Congress (NLC)': the proper name after 'of'."""
    for prep in children(head):
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in children(prep):
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN" \
                        and obj.ent_type_ not in {"GPE", "LOC", "NORP", "FAC", "DATE"}:
                    toks = [t for t in subtree(obj) if t.i <= obj.i and t.pos_ == "PROPN"]
                    return toks
    return []


def _chars(toks: list[Token]) -> tuple[int, int]:
    if not toks:
        return 0, 0
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _same_span(side: Side, other: Side) -> bool:
    return isinstance(side, ActorMention) and isinstance(other, ActorMention) \
        and side.span == other.span


def _object_tokens(head: Token) -> list[Token]:
    """Nouns inside an object phrase that can name its owner: modifiers, 'of X', what an
    '-ing' clause carries ('a vehicle carrying troops'); not other prepositions (places)."""
    out: list[Token] = []
    stack = list(children(head))
    while stack and len(out) < 40:
        tok = stack.pop()
        if tok.dep_ == "prep" and tok.lower_ != "of":
            continue
        if tok.dep_ in {"relcl", "punct", "cc", "conj", "appos"}:
            continue
        if tok.pos_ in {"NOUN", "PROPN"}:
            out.append(tok)
        stack.extend(children(tok))
    return sorted(out, key=lambda t: t.i)


def _state_body(name: str) -> bool:
    """An unlisted name ending in a state-body word ('District Reserve Guard') that is no rebel
    movement's name ('X Liberation Army')."""
    words = name.lower().split()
    return bool(words) and words[-1] in cues()["state_body_end"] \
        and not set(words) & cues()["movement_word"]


def _same(m: ActorMention, other: Side) -> bool:
    return isinstance(other, ActorMention) and (other.name == m.name or other.span == m.span)


def _backer(doc: Doc, m: ActorMention) -> bool:
    """'troops backed by clan fighters': the backer is on actor1's side, not the other one."""
    span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if span is None:
        return False
    prep = span.root.head
    return prep.dep_ == "agent" and prep.head.lemma_.lower() in cues()["backing_verb"]


def _phrase(head: Token) -> list[Token]:
    """The noun phrase of ``head``: its modifiers, appositions and 'of/from X' of a group noun,
    not its relative clauses or other prepositions (which name other things)."""
    out = [head]
    for c in children(head):
        if c.dep_ in _SKIP_DEPS and not _group_link(head, c):
            continue
        out += subtree(c)
    cut = max((t.i for t in out if t.i < head.i and t.text in _SEPARATORS), default=-1)
    # "KINSHASA (Wire) - Gang members": what precedes a dash or bracket is a dateline
    return sorted({t.i: t for t in out if t.i > cut or t.i >= head.i}.values(), key=lambda t: t.i)


def _group_link(head: Token, child: Token) -> bool:
    """'fighters from JNIM', 'gunmen of the BLA', 'gunmen suspected to be JNIM', 'loyal to X'."""
    if child.dep_ == "prep":
        return child.lower_ in {"of", "from"} \
            and head.lower_ in cues()["group_noun"] | cues()["unknown_agent"]
    if child.dep_ in {"acl", "amod"} \
            and head.lower_ in cues()["group_noun"] | cues()["unknown_agent"]:
        return child.lemma_.lower() in {"suspect", "believe", "loyal", "affiliate", "link",
                                        "belong", "allied", "aligned"}
    return False


def _generic(doc: Doc, m: ActorMention) -> bool:
    """A state mention that names no state ('the army', 'security forces'): only common nouns."""
    span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    return span is not None and not any(t.pos_ == "PROPN" or t.ent_type_ for t in span)


def _with_role(m: ActorMention, role: str) -> ActorMention:
    return m if m.role == role else replace(m, role=role)


def _mention(doc: Doc, start: int, end: int, name: str, kind: str, country: str | None,
             role: str = "other") -> ActorMention:
    first, last = doc[start], doc[end - 1]
    lo, hi = first.idx, last.idx + len(last.text)
    return ActorMention(span=Span(lo, hi, text_of(doc)[lo:hi]), name=name, kind=kind, role=role,
                        country=country)


def _protest_sides(ctx: _Context, family: str) -> tuple[ActorMention | None, ActorMention | None]:
    """Protesters or rioters are actor1, named only through their organisation; the force that
    intervened (fired on, dispersed, arrested them) is actor2; none for a peaceful protest."""
    agent, patient = _slots(ctx.trigger)
    actor1 = None
    for head in agent + _protester_heads(ctx):
        named = ctx._named(_phrase(head), head)
        if named is not None and named.kind != "state":
            actor1 = _with_role(named, "initiator")
            break
    force = _intervener(ctx)
    victim = ctx.first(patient, "target") if family == "riot" and force is None else None
    if isinstance(victim, ActorMention) and victim.kind == "civilians":
        return actor1, victim  # mob violence: the people it attacked
    return actor1, force


def _protester_heads(ctx: _Context) -> list[Token]:
    words = cues()["protester_noun"]
    return [t for t in _around(ctx.trigger) if t.lower_ in words]


def _intervener(ctx: _Context) -> ActorMention | None:
    """A state force that is the subject (or agent) of an intervention verb anywhere in the text."""
    words = cues()["intervene_verb"]
    for tok in ctx.nearby_tokens():
        verb = tok.head
        by_agent = tok.dep_ == "pobj" and verb.dep_ == "agent"
        if by_agent:
            verb = verb.head
        with_clash = tok.dep_ == "pobj" and verb.lower_ == "with"
        if with_clash:
            verb = verb.head  # "protesters clashed with police"
        if (tok.dep_ == "nsubj" or by_agent or with_clash) and verb.lemma_.lower() in words:
            side = ctx.resolve(tok, "initiator")
            if isinstance(side, ActorMention) and side.kind == "state":
                return _with_role(side, "target")
    return None

"""Is a capital or country name standing for its government ("Kyiv said", "shocked Moscow")?

News uses capitals and country names for the state acting through its government. Such a
mention is an actor, not a place where something happened. The decision reads the dependency
parse around the name and a cue list (data/metonymy_cues.csv): subject of a verb other than a
locative one ("Aleppo had two million inhabitants" stays a place), passive agent of a support
verb ("backed by Moscow"), object of an emotional verb ("shocked Moscow"), possessive or
compound of a government noun ("Moscow's Foreign Ministry", "the Kyiv regime"), or object of a
relational noun's preposition ("a challenge to Damascus", "loyal to Kyiv").
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from app.ingest.gazetteer import fold, get_gazetteer, lookup
from app.ingest.knowledge import grouped
from app.ingest.lexicon import cue
from app.ingest.text.doc_index import children, lefts, run_end, subtree
from app.ingest.text.doc_index import up_through as _up_through

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_APPOSITION = "frontwire.actor_apposition"
_REGIME_WORDS = {"regime", "government", "authorities", "administration"}


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """role -> lemmas, from metonymy_cues.csv."""
    return grouped("data/metonymy_cues.csv", "role", "cue")


def is_state_name(text: str) -> bool:
    """Only national capitals and countries are read as governments."""
    gaz = get_gazetteer()
    key = fold(text.removeprefix("the ").removeprefix("The "))
    if key in gaz.capitals:
        return True
    return any(entry.kind == "country" for entry, _ in lookup(key))


def _first_conjunct(token: Token) -> Token:
    """'Rwanda, France and Kenya': the later conjuncts take the first one's role."""
    return _up_through(token, ("conj", "appos"))


def _verb_head(token: Token) -> Token:
    """The word that governs a name (through conjunctions and appositions)."""
    return _first_conjunct(token).head


def _subject_of_action(root: Token) -> bool:
    """Active subject of a non-locative verb ('Kyiv said'); a passive subject is a target
    ('Kyiv was hit') unless the verb addresses a government ('Moscow was urged to ...')."""
    head = _verb_head(root)
    dep = _first_conjunct(root).dep_
    if dep not in _SUBJECT_DEPS or head.pos_ not in ("VERB", "AUX"):
        return False
    verb = head
    if verb.lemma_ in ("be", "have") and verb.dep_ == "aux":
        verb = verb.head
    if dep == "nsubjpass":
        return verb.lemma_.lower() in cues()["emotion_verb"]
    return verb.lemma_.lower() not in cues()["place_verb"]


def _agent_or_object(root: Token) -> bool:
    """Passive agent ('drafted by Britain', 'backed by Moscow'), object of a verb that
    addresses a government ('accused Britain', 'urged Washington'), or object that an
    infinitive makes an actor ('prompting Dhaka to summon', 'asked Kyiv to withdraw')."""
    head = _verb_head(root)
    dep = _first_conjunct(root).dep_
    if dep == "pobj" and head.lower_ == "by":  # "designated a terrorist group by Turkey"
        return head.head.lemma_.lower() not in cues()["partner_exception"]
    if dep == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() == "call":
        return True  # "called on Israel to ..."
    if dep != "dobj":
        return False
    verb = head.lemma_.lower()
    if verb in cues()["emotion_verb"] | cues()["object_verb"]:
        return True
    if verb in cue("cue_verb") | cue("strong_cue_verb"):
        return False  # "struck Kyiv to ..." is still a strike on Kyiv
    return any(c.dep_ == "xcomp" and c.i > root.i for c in children(head))


def _partner(root: Token) -> bool:
    """'the blame should lie with Britain', 'talks with Russia': a partner, not a location
    (but 'the border with Venezuela' is a place)."""
    head = _verb_head(root)
    if _first_conjunct(root).dep_ != "pobj" or head.lower_ not in cues()["partner_prep"]:
        return False
    return head.head.lemma_.lower() not in cues()["partner_exception"]


def _holds_forces(root: Token) -> bool:
    """'Kigali now has some 2,500 personnel in Cabo Delgado': the state holds troops."""
    head = _verb_head(root)
    if _first_conjunct(root).dep_ != "nsubj" or head.lemma_ not in ("have", "keep", "maintain"):
        return False
    forces = cues()["actor_object"]
    return any(c.dep_ == "dobj" and (c.lemma_.lower() in forces or c.lower_ in forces)
               for c in children(head))


def _government_modifier(root: Token, span: Span) -> bool:
    """'Moscow's Foreign Ministry', 'the Kyiv regime', 'Kyiv's position'."""
    if root.dep_ not in ("poss", "compound", "nmod", "amod"):
        return False
    head = root.head
    words = {head.lemma_.lower(), head.lower_} | {t.lower_ for t in lefts(head) if t.i >= span.end}
    return bool(words & cues()["gov_noun"])


def _relational_object(root: Token) -> bool:
    """'a challenge to Damascus', 'loyal to Kyiv', 'the embassies of Rwanda, France ...'."""
    dep = _first_conjunct(root).dep_
    head = _verb_head(root)
    if dep != "pobj" or head.pos_ != "ADP":
        return False
    noun = head.head.lemma_.lower()
    if head.lower_ == "from" and noun in cues()["source_word"] | cues()["gov_noun"]:
        return True  # "bought from Russia", "ministers from Iran"
    return noun in cues()["relation_noun"] or (head.lower_ == "of" and noun in cues()["gov_noun"])


def _actor_apposition(root: Token) -> bool:
    """See ``_apposition_of``; the answer is the same for every name of one list."""
    chain = _up_through(root, ("conj",))
    memo: dict[int, bool] = root.doc.user_data.setdefault(_APPOSITION, {})
    if chain.i not in memo:
        memo[chain.i] = _apposition_of(chain)
    return memo[chain.i]


def _apposition_of(chain: Token) -> bool:
    """'its allies Russia and Iran', 'Russia and Iran, which back the government': a name in
    apposition to a role noun, or heading a relative clause whose verb an actor does (back,
    arm, supply, say: 'Chad, which struggles to cope' stays a place)."""
    if chain.dep_ in ("appos", "compound") and chain.head.lemma_.lower() in cues()["role_noun"]:
        return True
    names = [chain, *(t for t in subtree(chain) if t.dep_ == "conj" and t.head.i >= chain.i)]
    doc, last = chain.doc, max(t.i for t in names)
    subjects = [c for n in names for r in children(n) if r.dep_ == "relcl" for c in children(r)
                if c.dep_ == "nsubj"]
    if last + 2 < len(doc) and doc[last + 1].text == ",":  # the parser may hang the clause
        subjects.append(doc[last + 2])  # on the main verb: "leans on X, which supplies"
    for subject in subjects:
        if subject.lower_ in ("which", "who") and subject.dep_ == "nsubj":
            return subject.head.lemma_.lower() in cues()["speech_verb"] | cues()["object_verb"]
    return False


def _stance_predicate(root: Token) -> bool:
    """'Israel was not interested in a deal', 'Russia is ready to talk'."""
    head = _verb_head(root)
    if root.dep_ not in _SUBJECT_DEPS or head.lemma_ != "be":
        return False
    stance = cues()["stance_adj"]
    return any(c.dep_ == "acomp" and c.lemma_.lower() in stance for c in children(head))


def _orphan_subject(doc: Doc, span: Span) -> bool:
    """'Beirut, in a statement, called for ...' when the parser lost the subject link."""
    sent = span.sent
    if span.start != sent.start or span.end >= len(doc) or doc[span.end].text != ",":
        return False
    return any(t.lemma_.lower() in cues()["speech_verb"] and t.pos_ == "VERB"
               and not any(c.dep_ in _SUBJECT_DEPS for c in children(t))
               for t in doc[span.end:sent.end])


def _regime_phrase(doc: Doc, span: Span) -> bool:
    """'the X regime' / 'X government' right after the name."""
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is not None and nxt.lower_ in _REGIME_WORDS


def is_government_metonym(doc: Doc, start_char: int, end_char: int) -> bool:
    """True when the capital/country name at [start_char, end_char) stands for its government."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0 or not is_state_name(span.text):
        return False
    root = span.root
    if _regime_phrase(doc, span) or _government_modifier(root, span):
        return True
    if _subject_of_action(root) or _agent_or_object(root) or _relational_object(root):
        return True
    if _partner(root) or _holds_forces(root) or _actor_apposition(root):
        return True
    return _stance_predicate(root) or _orphan_subject(doc, span) or _misparsed_subject(doc, span)


def _in_name_list(token: Token) -> bool:
    return token.lower_ in (",", "and") or token.pos_ == "PROPN"


def _misparsed_subject(doc: Doc, span: Span) -> bool:
    """'since Washington and London began bombing ...': the parser hangs the names on the
    preposition, but a finite action verb right after the name (list) makes them its
    subject; a locative preposition before them ('in London began') keeps them places."""
    if span.start > 0 and doc[span.start - 1].lower_ in cue("cue_word"):
        return False
    k = run_end(doc, span.end, _in_name_list)
    if k >= len(doc) or doc[k].pos_ != "VERB" or doc[k].tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    return doc[k].lemma_.lower() not in cues()["place_verb"]

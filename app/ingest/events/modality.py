"""Whether a trigger reports an occurrence, or only refers to, denies, plans or sums one up.

"Paris called the attacks unacceptable" refers to an event (a *reference*: it may join the
event it refers to, never start one); "did not attack", "will attack", "threatened to
attack", "could attack?" report none; "the war has killed 500,000 since 2011" is a cumulative
toll; "floods killed 12" is a disaster. A reporting verb over an event clause is fine: "the
army said it killed five militants" is an event. The cues are in ``data/non_event_cues.csv``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from spacy.tokens import Token

from app.ingest.events import lexicon
from app.ingest.events.context import SentenceContext
from app.ingest.events.triggers import Trigger, lemma

REPORTS = "event"
REFERS = "reference"
CLIMB = 4  # how far up the parse a governing cue may sit ("vowed to try to retake")
NEGATORS = frozenset({"no", "never", "not", "n't", "nobody", "none", "nothing"})
NO_ONE = frozenset({"no one", "nobody", "none"})
LINKS = frozenset({"xcomp", "ccomp", "acl", "dobj", "pobj", "prep", "nsubj", "nsubjpass", "advcl",
                   "attr", "oprd", "acomp", "conj", "compound", "amod", "advmod", "npadvmod"})
TOLL_TYPES = frozenset({"attack"})
# generic killings are where cumulative tolls and disasters hide
TEMPORAL_PREPS = frozenset({"after", "before", "since", "following", "until", "prior", "ahead"})


def ancestors(token: Token) -> Iterator[Token]:
    """The verbs and nouns above ``token`` within ``CLIMB`` steps, through argument links."""
    current = token
    for _ in range(CLIMB):
        if current.dep_ not in LINKS or current.head is current:
            return
        current = current.head
        yield current


def has_cue(kind: str, words: Collection[str], text: str) -> bool:
    """A cue of ``kind`` among the words, or (multi-word) in the text (for a few sentences;
    per-trigger checks read ``SentenceContext.cue_kinds``)."""
    return any(c in words if " " not in c else f" {c} " in text for c in lexicon.cues(kind))


def verdict(trigger: Trigger, ctx: SentenceContext, *, armed_actor: bool) -> str | None:
    """``event``, ``reference`` or None (no occurrence at all) for one trigger."""
    token = trigger.token
    if ctx.question or _negated(token) or _future(token):
        return None
    if trigger.row.type in TOLL_TYPES and not armed_actor and (
            {"disaster", "accident"} & ctx.cue_kinds):
        return None
    if (trigger.row.type in TOLL_TYPES or _perfect(token)) and _cumulative(token, ctx):
        return None
    if any(forms(a) & lexicon.cues("reaction") for a in ancestors(token)):
        return REFERS
    if _described(token) or _temporal(token):
        return REFERS
    return REPORTS


def forms(token: Token) -> set[str]:
    """The token's lemma and plain forms: the model misses some sentence-initial lemmas
    ("Condemning" stays "condemning")."""
    low = token.lower_
    return {lemma(token), low, low.removesuffix("ing"), low.removesuffix("ed"),
            low.removesuffix("d"), low.removesuffix("s")}


def _perfect(token: Token) -> bool:
    """"have exchanged fire since October", "the offensive has killed": a period, not a day."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    if token.dep_ in ("nsubj", "nsubjpass") or verb is token:
        return any(c.dep_ == "aux" and lemma(c) == "have" for c in verb.children)
    return False


def _described(token: Token) -> bool:
    """A noun trigger that a copula describes ("the strike was the deadliest attack", "the
    rocket was an Iranian-made Falaq-1"): the sentence characterises an event told elsewhere."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in ("nsubj", "attr"):
        return False
    return lemma(token.head) == "be"


def _temporal(token: Token) -> bool:
    """A noun trigger that only dates something else: "two days after the attack"."""
    return (token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj"
            and token.head.lower_ in TEMPORAL_PREPS)


def _negated(token: Token) -> bool:
    """"did not attack", "no attack", "no one was killed" (the kill reports no death)."""
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
        if child.dep_ in ("nsubj", "nsubjpass") and _no_one(child):
            return True
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "without":
        return True  # "handed over the town without fighting"
    return token.dep_ in ("dobj", "xcomp") and any(c.dep_ == "neg" for c in head.children)


def _no_one(token: Token) -> bool:
    if token.right_edge.i - token.left_edge.i > 2:
        return False  # longer than "no one": a whole phrase, not the pronoun
    phrase = " ".join(t.lower_ for t in token.subtree)
    return phrase in NO_ONE or token.lower_ in ("nobody", "none")


def _future(token: Token) -> bool:
    """Forecasts, plans, threats and conditions: a future or modal auxiliary on the trigger's
    verb, a threat or plan verb above it, or an ``if`` clause."""
    verbs = [token, *ancestors(token)]
    if token.pos_ in ("NOUN", "PROPN") and token.head is not token:
        verbs = verbs[1:] or verbs
    first_verb = next((v for v in verbs if v.pos_ in ("VERB", "AUX")), None)
    if first_verb is not None and any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in lexicon.cues("future")
            for c in first_verb.children):
        return True
    if first_verb is not None and any(c.dep_ == "mark" and c.lower_ == "if"
                                      for c in first_verb.children):
        return True
    return any(lemma(a) in lexicon.cues("future_verb") for a in ancestors(token))


def _cumulative(token: Token, ctx: SentenceContext) -> bool:
    """"the war has killed 500,000 since 2011", "killed 311 so far": a toll over many events."""
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
    subjects += [g for c in token.children if c.dep_ == "agent" for g in c.children]
    if any(lemma(s) in lexicon.cues("cumulative_subject") for s in subjects):
        return True
    return "cumulative" in ctx.cue_kinds

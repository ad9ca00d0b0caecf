"""A trigger's type made precise by the sentence around it.

- Weapons (``data/weapons.csv``) refine generic triggers: "killed in a drone strike" is a drone
  strike, "hit by a rocket" shelling; the weapon nearest the trigger wins.
- Targets (``data/targets.csv``) split the generic attack: soldiers, militants or a position
  attacked is a battle (Armed clash), unarmed people an attack on civilians.
- Companion words (``data/refinements.csv``) turn a protest into a protest with intervention,
  excessive force or a riot, and a riot into mob violence.
- Who acted decides a capture: state forces retaking a place in their own country regain
  territory, state forces abroad fight an armed clash, anyone else overtakes territory.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from spacy.tokens import Token

from app.ingest.events import lexicon
from app.ingest.events.context import WINDOW, SentenceContext
from app.ingest.events.triggers import Trigger, lemma
from app.ingest.events.where import clause_of, governs
from app.ingest.types import ActorMention, PlaceMention

STATE_KINDS = frozenset({"state", "military_unit"})
ARMED_KINDS = frozenset({"armed_group", "military_unit", "state"})
PROTESTERS = frozenset({"protester", "protestor", "demonstrator", "rioter", "crowd", "mob"})
VICTIM_DEPS = frozenset({"dobj", "nsubjpass", "pobj", "poss"})
NEAR = 4  # a weapon this close to the trigger refines it even across a clause boundary
PERSONS = frozenset({"member", "official", "journalist", "lawmaker", "man", "woman", "men",
                     "people", "hostage", "teacher", "student", "priest", "aid", "chief"})
STATE_NOUNS = frozenset({"troop", "troops", "army", "soldier", "military", "force"})
CIVILIAN_PEOPLE = frozenset({"civilian", "villager", "resident", "farmer", "worshipper", "child",
                             "woman", "passenger", "student", "teacher", "journalist", "doctor",
                             "family", "trader", "fisherman", "elder", "leader", "worker"})
VAGUE = frozenset({"people", "man", "person"})  # victims of any side: not named as civilians
FORMER = frozenset({"former", "retired", "off-duty", "ex"})
REGAIN_VERBS = frozenset({"retake", "recapture", "regain", "liberate"})


@cache
def _targets() -> dict[str, str]:
    return {w[-1]: t for w, t in lexicon.phrases("targets.csv", "word", "target").items()}


@cache
def _refinements() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in lexicon.rows("refinements.csv"):
        table.setdefault(row["from_type"], []).append((tuple(row["cue"].split()), row["to_type"]))
    return {k: tuple(v) for k, v in table.items()}


def weapon_type(trigger: Trigger, ctx: SentenceContext) -> str | None:
    """The type of the weapon nearest the trigger (in its clause, or within ``NEAR`` words)."""
    token = trigger.token
    doc = token.doc
    clause = token if token.pos_ in ("NOUN", "PROPN") else clause_of(token)
    best: tuple[int, str] | None = None
    for start, length, kind in ctx.weapons_near(token.i):
        distance = abs(start - token.i)
        if distance > NEAR and not governs(clause, doc[start + length - 1]):
            continue
        if best is None or distance < best[0]:
            best = (distance, kind)
    return best[1] if best else None


def victim_tokens(token: Token) -> list[tuple[str, Token]]:
    """What the trigger acted upon: its object, passive subject, or the object of its
    prepositions ("an attack on a base", "fired on worshippers"), as (lemma, token)."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in VICTIM_DEPS:
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ not in ("in", "at", "near", "from", "with"):
            out.extend(g for g in child.children if g.dep_ == "pobj")
    if token.dep_ in ("acl", "relcl", "amod", "compound"):
        out.append(token.head)
    return [(lemma(t), t) for t in out]


def victims(token: Token) -> list[str]:
    return [w for w, _ in victim_tokens(token)]


def named_civilians(trigger: Trigger) -> bool:
    """The trigger's own victims are unarmed people ("killed two traders")."""
    return any((_targets().get(w) == "civilians" or w in CIVILIAN_PEOPLE) and w not in VAGUE
               for w in victims(trigger.token))


def target_kind(trigger: Trigger, ctx: SentenceContext, figures_civilian: bool) -> str | None:
    """``forces``, ``civilians`` or None, from what the trigger acted upon."""
    token = trigger.token
    for word, victim in victim_tokens(token):
        if any(lemma(c) in FORMER for c in victim.children):
            return "civilians"  # a former officer is a civilian
        if word in PROTESTERS:
            return "protesters"
        if word in _targets():
            return _targets()[word]
    if figures_civilian:
        return "civilians"
    clause = clause_of(token)
    sent, doc = ctx.span, token.doc
    near = range(max(sent.start, token.i - WINDOW), min(sent.end, token.i + WINDOW + 1))
    words = {lemma(doc[k]) for k in near
             if governs(clause, doc[k]) and doc[k].dep_ not in ("nsubj", "agent")}
    kinds = {_targets()[w] for w in words if w in _targets()}
    return kinds.pop() if len(kinds) == 1 else None


def refine(trigger: Trigger, ctx: SentenceContext, *, initiator: ActorMention | None,
           armed_initiator: bool, place: PlaceMention | None, figures_civilian: bool) -> str:
    """The trigger's type; ``initiator`` is the sentence's first initiator actor and
    ``armed_initiator`` whether a non-state group initiates in it."""
    """The trigger's type after weapons, targets, companion words and who acted."""
    kind = trigger.row.type
    if trigger.row.refine:
        kind = weapon_type(trigger, ctx) or kind
    if ctx.chemical:
        return "chemical_weapon" if taxonomy_family(kind) == "remote" else kind
    if kind == "attack" and _protesters_act(trigger.token):
        kind = "riot"
    if kind == "attack":
        target = target_kind(trigger, ctx, figures_civilian)
        kind = {"forces": "armed_clash", "protesters": "excessive_force",
                "civilians": "attack"}.get(target or "", kind)
    elif kind == "ground_assault" and named_civilians(trigger) and not any(
            _targets().get(w) == "forces" for w in victims(trigger.token)):
        kind = "attack"  # "militiamen raided a camp for displaced people"
    kind = _companions(kind, ctx)
    if kind in ("territorial_control", "government_regains"):
        if any(w in PERSONS or w in CIVILIAN_PEOPLE for w in victims(trigger.token)):
            return "abduction"  # "gunmen seized a lawmaker from his home"
        kind = _capture(trigger, initiator, place)
    if kind == "arrest" and armed_initiator:
        kind = "abduction"  # detentions by a non-state group (ACLED: Abduction)
    return kind


def taxonomy_family(kind: str) -> str:
    from app.ingest.events.taxonomy import by_name

    return by_name(kind).family





def _protesters_act(token: Token) -> bool:
    return any(c.dep_ == "nsubj" and lemma(c) in PROTESTERS for c in token.children)


def _companions(kind: str, ctx: SentenceContext) -> str:
    for _ in range(2):  # protest -> riot -> mob violence
        step = next((to for cue, to in _refinements().get(kind, ()) if cue in ctx.phrases),
                    None)
        if step is None:
            return kind
        kind = step
    return kind


def _capture(trigger: Trigger, initiator: ActorMention | None,
             place: PlaceMention | None) -> str:
    if initiator is None and any(c.dep_ == "nsubj" and lemma(c) in STATE_NOUNS
                                 for c in trigger.token.children):
        return "government_regains"  # "troops recaptured", "the army retook"
    if initiator is None:
        return "government_regains" if lemma(trigger.token) in REGAIN_VERBS else \
            "territorial_control"
    if initiator.kind not in STATE_KINDS:
        return "territorial_control"
    abroad = None not in (initiator.country, place and place.country) and \
        place is not None and place.country != initiator.country
    return "territorial_control" if abroad else "government_regains"


def civilian_figures(counts: Collection[str]) -> bool:
    return "civilians_killed" in counts

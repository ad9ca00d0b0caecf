"""Where a trigger's occurrence happened, among the places its sentence names.

The place in the trigger's own phrase ("strikes on X", "fighting in X") beats a place in its
clause, which beats any other place in the sentence; a speaker's location ("Speaking in
Tokyo, X said", "told reporters in Geneva") is never the event's place. Strikes on a list of
named places are one event per place (EVENTS.md), so a remote attack whose phrase lists
several places gets them all.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, TypeVar

from spacy.tokens import Doc, Token

from app.geodesy import haversine_km
from app.ingest.types import DateMention, PlaceMention

_M = TypeVar("_M", PlaceMention, DateMention)

SPECIFICITY = {"facility": 5, "border_crossing": 5, "settlement": 4, "area": 3, "admin1": 2,
               "country": 1}
SPEECH = frozenset({"speak", "say", "tell", "visit", "meet", "address", "arrive", "travel",
                    "talk", "interview", "announce", "brief", "write", "hold", "host"})
DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                        "southwest", "north-east", "north-west", "south-east", "south-west"})
WIDE_KM = 60.0  # a region named around a town: the town lies inside it
AREA_KM = 15.0  # an area (a valley, a coastal strip, a camp zone) is smaller
REACH = 400
SPLIT_KINDS = frozenset({"settlement", "facility", "area", "border_crossing"})


class TokenIndex:
    """Character offset -> token, for mapping mentions onto the parse (bisection)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def token_at(self, char: int) -> Token:
        k = max(0, bisect.bisect_right(self.starts, char) - 1)
        return self.doc[k]

    def root_at(self, start: int, end: int) -> Token:
        """The head token of the mention at [start, end): the one whose head lies outside."""
        first = self.token_at(start).i
        last = max(first, bisect.bisect_left(self.starts, end) - 1)
        for k in range(first, last + 1):
            head = self.doc[k].head.i
            if head < first or head > last or head == k:
                return self.doc[k]
        return self.doc[first]


BOUNDARY = frozenset({"advcl", "relcl", "ccomp", "conj", "parataxis", "acl", "csubj"})
CLIMB = 16


def governs(top: Token, token: Token) -> bool:
    """``token`` hangs on ``top`` without crossing into another clause (a subordinate, relative,
    complement or coordinated verb): the place of "hit X after a rocket slammed into Y" is X."""
    current = token
    for _ in range(CLIMB):
        if current == top:
            return True
        if current.head is current:
            return False
        if current.dep_ in BOUNDARY and current.pos_ in ("VERB", "AUX"):
            return False
        current = current.head
    return False


def _speaker_place(token: Token, trigger: Token) -> bool:
    """The place hangs on a speech or visit verb by a preposition, and the trigger is not
    that verb: "Speaking in Tokyo", "said in a statement in Geneva"."""
    prep = token.head
    if prep.dep_ != "prep" and token.dep_ != "pobj":
        return False
    verb = prep.head
    return verb.lemma_.lower() in SPEECH and verb != trigger


def clause_of(trigger: Token) -> Token:
    """The verb whose clause the trigger reports (a noun trigger's governing verb)."""
    current = trigger
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") or current.head is current:
            return current
        current = current.head
    return current


def _owner(token: Token) -> bool:
    """"Russia's Investigative Committee", "Kursk's governor": the place owns a noun that is
    not itself a place, so it locates nothing."""
    return token.dep_ == "poss" and token.head.ent_type_ not in ("GPE", "LOC", "FAC")


def _locator(token: Token) -> bool:
    """"al-Shati camp, west of Gaza City", "Kfar Kila, near Marjayoun", "X (district,
    region)": the place after a direction, "near" or a bracket only says where the place
    before it lies."""
    doc, i = token.doc, token.i
    window = [t.text for t in doc[max(0, i - 6):i]]
    if "(" in window and ")" not in window[window.index("("):]:
        return True  # "Ogossagou (Bankass, Mopti)": the district and region in brackets
    before = [t.lower_ for t in doc[max(0, i - 4):i]]
    if not before:
        return False
    if before[-1] == "of" and len(before) >= 2 and before[-2].rstrip("-").split("-")[-1] in \
            DIRECTIONS:
        return any(t.text == "," or t.ent_type_ in ("GPE", "LOC", "FAC")
                   for t in doc[max(0, i - 7):i - 2])
    return before[-1] == "near" and len(before) >= 2 and before[-2] == ","


def _score(place: PlaceMention, index: TokenIndex, trigger: Token, colon: int | None) -> int:
    token = index.root_at(place.span.start, place.span.end)
    if _speaker_place(token, trigger) or _owner(token):
        return -1
    if _locator(token):
        return 0
    if governs(trigger, token) or (colon is not None and token.i > colon):
        return 3
    return 2 if governs(clause_of(trigger), token) else 1


def contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """``inner`` lies inside ``outer``: a country holds its towns, a region its towns."""
    if outer.kind == "country":
        return inner.country == outer.country and inner.kind != "country"
    if outer.kind == "admin1" and inner.kind != "admin1" and inner.admin1 is not None:
        return inner.country == outer.country and inner.admin1 == outer.admin1
    if outer.kind in ("admin1", "area") and SPECIFICITY.get(inner.kind, 0) > \
            SPECIFICITY.get(outer.kind, 0):
        km = distance_km(outer, inner)
        return km is not None and km <= (WIDE_KM if outer.kind == "admin1" else AREA_KM)
    return False


def distance_km(a: PlaceMention, b: PlaceMention) -> float | None:
    """Great-circle distance between two resolved places, None when either has no point."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def choose_places(trigger: Token, places: Sorted[PlaceMention], index: TokenIndex, *,
                  split: bool, listed: Sequence[PlaceMention] = (),
                  colon: int | None = None) -> tuple[list[PlaceMention], int]:
    """The event's place (or, for ``split`` remote attacks on a list, its places) and how
    closely the trigger holds it: 3 its own phrase, 2 its clause, 1 elsewhere in the sentence.
    ``listed`` are the places of a list the sentence introduces with a colon."""
    if split:
        targets = [p for p in _distinct(listed) if p.kind in SPLIT_KINDS]
        if len(targets) >= 2:
            return targets, 3
    colon = colon if split else None
    nearby = near(places, trigger.idx) or nearest(places, trigger.idx)
    scored = [(s, p) for p in nearby if (s := _score(p, index, trigger, colon)) >= 0]
    if not scored:
        return [], 0
    top = max(s for s, _ in scored)
    distinct = _distinct([p for s, p in scored if s == top])
    if split and top == 3:
        targets = _listed([p for p in distinct if p.kind in SPLIT_KINDS], index)
        if len(targets) >= 2:
            return targets, top
    at = trigger.idx
    return [min(distinct, key=lambda p: (-SPECIFICITY.get(p.kind, 0),
                                         abs(p.span.start - at)))], top


def _listed(places: list[PlaceMention], index: TokenIndex) -> list[PlaceMention]:
    """The places that form a list ("X, Y and Z": coordinated or in apposition)."""
    roots = {index.root_at(p.span.start, p.span.end).i: p for p in places}
    linked = {i for i, p in roots.items()
              if index.doc[i].dep_ in ("conj", "appos") and index.doc[i].head.i in roots}
    linked |= {index.doc[i].head.i for i in linked}
    return [roots[i] for i in sorted(linked)]


class Sorted(Generic[_M]):
    """Mentions sorted by start with their starts, for windowed lookups by bisection."""

    def __init__(self, mentions: Sequence[_M]) -> None:
        self.items: list[_M] = sorted(mentions, key=lambda m: m.span.start)
        self.starts: list[int] = [m.span.start for m in self.items]


def nearest(mentions: Sorted[_M], at: int) -> Sequence[_M]:
    """The mention just before and just after ``at`` (when none is within reach)."""
    starts = mentions.starts
    k = bisect.bisect_left(starts, at)
    return mentions.items[max(0, k - 1):k + 1]


def near(mentions: Sorted[_M], at: int) -> Sequence[_M]:
    """The mentions within ``REACH`` characters of ``at``: a trigger's place or date sits in
    its clause, so a hostile sentence costs a window per trigger, not a pass."""
    starts = mentions.starts
    lo, hi = bisect.bisect_left(starts, at - REACH), bisect.bisect_right(starts, at + REACH)
    return mentions.items[lo:hi]


def _distinct(places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """One mention per place, without the regions and countries that only locate another."""
    unique = list({(p.name, p.kind, p.country): p for p in places}.values())
    return [p for p in unique if not any(contains(p, q) for q in unique if q is not p)]

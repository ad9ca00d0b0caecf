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

from spacy.tokens import Doc, Token

from app.ingest.doc_index import is_ancestor_or_self
from app.ingest.types import PlaceMention

SPECIFICITY = {"facility": 5, "border_crossing": 5, "settlement": 4, "area": 3, "admin1": 2,
               "country": 1}
SPEECH = frozenset({"speak", "say", "tell", "visit", "meet", "address", "arrive", "travel",
                    "talk", "interview", "announce", "brief", "write", "hold", "host"})
SPLIT_KINDS = frozenset({"settlement", "facility", "area", "border_crossing"})


class TokenIndex:
    """Character offset -> token, for mapping mentions onto the parse (bisection)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def token_at(self, char: int) -> Token:
        k = max(0, bisect.bisect_right(self.starts, char) - 1)
        return self.doc[k]


def _in_subtree(token: Token, top: Token) -> bool:
    """``token`` lies under ``top`` in the parse (constant time, see ``doc_index``)."""
    return is_ancestor_or_self(token.doc, top.i, token.i)


def _speaker_place(token: Token, trigger: Token) -> bool:
    """The place hangs on a speech or visit verb by a preposition, and the trigger is not
    that verb: "Speaking in Tokyo", "said in a statement in Geneva"."""
    prep = token.head
    if prep.dep_ != "prep" and token.dep_ != "pobj":
        return False
    verb = prep.head
    return verb.lemma_.lower() in SPEECH and verb != trigger


def _score(place: PlaceMention, index: TokenIndex, trigger: Token) -> int:
    token = index.token_at(place.span.start)
    if _speaker_place(token, trigger):
        return -1
    if _in_subtree(token, trigger):
        return 3
    clause = trigger.head if trigger.pos_ in ("NOUN", "PROPN", "ADJ") else trigger
    return 2 if _in_subtree(token, clause) else 1


def contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """``inner`` lies inside ``outer``: a country holds its towns, a region its towns."""
    if outer.kind == "country":
        return inner.country == outer.country and inner.kind != "country"
    if outer.kind == "admin1" and inner.kind != "admin1":
        return inner.country == outer.country and inner.admin1 is not None and \
            inner.admin1 == outer.admin1
    return False


def choose_places(trigger: Token, places: Sequence[PlaceMention], index: TokenIndex, *,
                  split: bool) -> list[PlaceMention]:
    """The event's place (or, for ``split`` remote attacks on a list, its places)."""
    scored = [(s, p) for p in places if (s := _score(p, index, trigger)) >= 0]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    best = [p for s, p in scored if s == top]
    distinct = _distinct(best)
    if split and top == 3:
        listed = [p for p in distinct if p.kind in SPLIT_KINDS]
        if len(listed) >= 2:
            return listed
    at = trigger.idx
    return [min(distinct, key=lambda p: (-SPECIFICITY.get(p.kind, 0), abs(p.span.start - at)))]


def _distinct(places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """One mention per place, without the regions and countries that only locate another."""
    unique = list({(p.name, p.kind, p.country): p for p in places}.values())
    return [p for p in unique if not any(contains(p, q) for q in unique if q is not p)]

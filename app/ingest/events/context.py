"""What a sentence holds, computed once: lemmas, words, weapons, cue phrases.

The per-trigger rules (refine, modality, places, dates) ask "is there a weapon near this
trigger?", "does the sentence name a disaster?": answered from this record, each costs a
lookup or a bounded window instead of a pass over the sentence, so a hostile sentence with
thousands of triggers stays linear.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan

from app.ingest.events import lexicon

WINDOW = 40  # tokens either side of a trigger that its weapons and targets may sit in
SEPARATE = frozenset({"separate", "another"})


@dataclass(frozen=True)
class SentenceContext:
    span: SpacySpan
    lemmas: tuple[str, ...]
    words: frozenset[str]
    weapons: tuple[tuple[int, int, str], ...]  # (doc index of first token, length, type)
    phrases: frozenset[tuple[str, ...]]  # the refinement and cue phrases the sentence holds
    cue_kinds: frozenset[str]  # non-event cue kinds present (disaster, cumulative, ...)
    chemical: bool
    colons: tuple[int, ...]
    separate: bool  # "in a separate attack", "another strike"
    question: bool  # the sentence asks

    def weapons_near(self, i: int) -> list[tuple[int, int, str]]:
        """The weapons within ``WINDOW`` tokens of token ``i``."""
        starts = [w[0] for w in self.weapons]
        lo, hi = bisect.bisect_left(starts, i - WINDOW), bisect.bisect_right(starts, i + WINDOW)
        return list(self.weapons[lo:hi])

    def colon_after(self, i: int) -> int | None:
        k = bisect.bisect_right(self.colons, i)
        return self.colons[k] if k < len(self.colons) else None


@cache
def _index(kind: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """First lemma -> (phrase, value) of the phrases of one table, for a single scan."""
    if kind == "weapons":
        pairs: Iterable[tuple[tuple[str, ...], str]] = lexicon.phrases(
            "weapons.csv", "weapon", "type").items()
    elif kind == "refinements":
        pairs = ((tuple(r["cue"].split()), r["to_type"]) for r in lexicon.rows("refinements.csv"))
    else:
        pairs = ((tuple(r["cue"].lower().split()), r["kind"])
                 for r in lexicon.rows("non_event_cues.csv"))
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, value in pairs:
        table.setdefault(phrase[0], []).append((phrase, value))
    return {k: tuple(v) for k, v in table.items()}


def _scan(seq: tuple[str, ...], forms: tuple[str, ...], kind: str
          ) -> list[tuple[int, tuple[str, ...], str]]:
    """(position, phrase, value) of every phrase of ``kind`` in the lemma (or word) sequence."""
    table, found = _index(kind), []
    for i in range(len(seq)):
        for first in {seq[i], forms[i]}:
            for phrase, value in table.get(first, ()):
                n = len(phrase)
                if all(phrase[k] in (seq[i + k], forms[i + k]) for k in range(1, n)) \
                        if i + n <= len(seq) else False:
                    found.append((i, phrase, value))
    return found


def sentence_context(span: SpacySpan) -> SentenceContext:
    lemmas = tuple(t.lemma_.lower() for t in span)
    forms = tuple(t.lower_ for t in span)
    weapons = sorted((span.start + i, len(p), v) for i, p, v in _scan(lemmas, forms, "weapons"))
    refinements = {p for _, p, _ in _scan(lemmas, forms, "refinements")}
    cues = _scan(lemmas, forms, "cues")
    return SentenceContext(
        span=span, lemmas=lemmas, words=frozenset(lemmas) | frozenset(forms),
        weapons=tuple(weapons), phrases=frozenset(refinements | {p for _, p, _ in cues}),
        cue_kinds=frozenset(v for _, _, v in cues),
        chemical=any(v == "chemical_weapon" for _, _, v in weapons),
        colons=tuple(span.start + i for i, f in enumerate(forms) if f == ":"),
        separate=bool(SEPARATE & set(forms)),
        question=next((f for f in reversed(forms) if f.strip()), "") == "?")

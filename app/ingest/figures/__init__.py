"""Claimed figures: what a number in war reporting counts, and in which unit.

The number phrase itself is parsed in ``numbers.py``; here we find the counted noun
("54 armoured vehicles", "a crew of 20", "dozens of drone strikes"), decide whether it names
people (a curated noun list, agent-noun morphology, demonyms, and what the governing verb does
to it: only people are killed, wounded or rescued), and what is counted. Every lexicon lives in
``data/`` so other wars and outlets need new rows, not new code. Who claims a figure and how
hedged it is: ``claims.py``.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, cast

from spacy.tokens import Doc, Token

from app.ingest.figures.claims import attribute, is_speaker
from app.ingest.figures.lists import (
    dash_noun,
    delta,
    elliptical,
    glued_modifier,
    list_hedge,
    model_unit,
)
from app.ingest.figures.numbers import DIGITS as _DIGITS
from app.ingest.figures.numbers import Num, excluded, non_figure, parse, si
from app.ingest.figures.sources import document_issuer
from app.ingest.knowledge import rows
from app.ingest.text.doc_index import children, install, sentence_number, subtree
from app.ingest.text.doc_text import text_of
from app.ingest.types import FigureMention, Span

_DETS = {"the", "its", "their", "his", "her", "our", "these", "those", "whom", "them"}
_EVENT_COUNTS = {"killed", "wounded", "civilians_killed", "evacuated", "prisoners"}
_WEAPONS = {"drone", "missile", "vehicle", "aircraft"}
_COLLECTIVE = {"collective", "actor"}  # before "of N" a group noun names a body of people
_MOSTLY = {"most", "mostly", "including", "all", "mainly", "majority"}
_LIST_GLUE = {",", "–", "—", ":", ";", "and", "including", "them", "among"}
_MEMO = "frontwire.figures"
# "about 100 of the roughly 3,800 inmates" nests one figure in another; a chain deeper than
# this ("1 of 2 of 3 of ...") is no phrase of prose, and following it to its end from every
# number in it was quadratic (and could exhaust the stack).
MAX_NESTED_FIGURES = 4
_T = TypeVar("_T")


@lru_cache(maxsize=1)
def _units() -> dict[str, dict[str, str]]:
    return {r["surface"]: r for r in rows("figures/data/units.csv")}


@dataclass(frozen=True)
class _CueRow:
    order: int
    words: tuple[str, ...]
    units: frozenset[str]
    pos: str
    priority: int
    row: dict[str, str]


@lru_cache(maxsize=1)
def _cue_index() -> dict[str, tuple[_CueRow, ...]]:
    """Counts cue rows by their first word, in file order: a token is only compared with the
    rows it can start, not with the whole table."""
    index: dict[str, list[_CueRow]] = {}
    for order, row in enumerate(rows("figures/data/counts_cues.csv")):
        words = tuple(row["cue"].split())
        index.setdefault(words[0], []).append(_CueRow(
            order, words, frozenset(row["units"].split(";")), row["pos"], int(row["priority"]),
            row))
    return {word: tuple(found) for word, found in index.items()}


def _cues_for(tok: Token) -> Iterable[_CueRow]:
    """The cue rows whose first word is the token's lemma or its lower-case form, in file order."""
    index, lemma, lower = _cue_index(), tok.lemma_.lower(), tok.lower_
    by_lemma, by_lower = index.get(lemma, ()), index.get(lower, ()) if lower != lemma else ()
    if not by_lower:
        return by_lemma
    return heapq.merge(by_lemma, by_lower, key=lambda c: c.order)


def _memo(doc: Doc, key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    """A per-document answer that many figures share (a sentence's or a clause's best cue)."""
    memo: dict[tuple[Any, ...], Any] = doc.user_data.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = compute()
    return cast(_T, memo[key])  # the key names the question: its answer came from compute


@lru_cache(maxsize=1)
def _person_suffixes() -> tuple[str, ...]:
    return tuple(r["suffix"] for r in rows("figures/data/person_suffixes.csv"))


@lru_cache(maxsize=4)
def _civilian(role: str = "victim") -> frozenset[str]:
    """Civilian nouns by role: victims, generic people nouns, civilian places attacked."""
    return frozenset(r["lemma"] for r in rows("figures/data/civilian_nouns.csv")
                     if r["role"] == role)


@dataclass
class _Noun:
    end: int
    head: Token | None
    unit: dict[str, str] | None
    of_them: bool = False
    dropped: bool = False
    more: bool = False  # "thousands more": the same kind as the figure before


def _unit_row(tok: Token) -> dict[str, str] | None:
    units = _units()
    row = units.get(tok.lower_) or units.get(tok.lemma_.lower())
    model = model_unit(tok) if row is None else None
    if model is not None:
        return units[model[0]]  # "six F-16s", "Harop drones": the model names the kind
    if row is None and tok.ent_type_ == "NORP" and not glued_modifier(tok.doc, tok.i):
        # "300 Ukrainians": nationals counted in war reporting; a vague mass of them
        # ("several hundred thousand Tigrayans") is a population, counted by its verb
        row = (units["soldier"] if _DIGITS.match(tok.doc[max(tok.i - 1, 0)].text)
               or tok.tag_ != "NNPS" and tok.tag_ != "NNS" else units["person"])
    if row is None and tok.pos_ == "NOUN":
        mods = [units.get(c.lemma_.lower()) for c in children(tok) if c.dep_ == "compound"]
        # "drone strikes", "rocket attacks": the weapon is what is counted
        row = next((m for m in mods if m and m["unit"] in _WEAPONS), None)
    return row


def _agent_noun(tok: Token) -> bool:
    """A plural agent noun ("seafarers", "survivors", "signatories") may name people."""
    return tok.tag_ in ("NNS", "NNPS") and tok.lower_.endswith(_person_suffixes())


def _noun(doc: Doc, num: Num, depth: int = 0) -> _Noun:
    """The counted noun after the number: "54 armoured vehicles", "tens of thousands of jail
    convicts"."""
    k, of_them, more = num.j, False, False
    if k + 1 < len(doc) and doc[k].lower_ == "more" and doc[k + 1].lower_ != "than":
        k, more = k + 1, True  # "thousands more had reached the city"
    if (k < len(doc) and doc[k].text in ('"', "”", "'") and num.i > 0
            and doc[num.i - 1].text in ('"', "“", "'")):
        k += 1  # '"more than 6,000" fighters': a quoted number still counts the noun after it
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k + 1].lower_ in ("them", "whom"):
        k, of_them = k + 2, True
    elif k < len(doc) and doc[k].lower_ == "of":
        k += 1
        while k < len(doc) and doc[k].lower_ in _DETS:
            k += 1
        inner = parse(doc, k) if k < len(doc) else None
        if inner is not None and depth >= MAX_NESTED_FIGURES:
            return _Noun(num.j, None, None)
        if inner is not None:
            # "about 100 of the roughly 3,800 inmates": the inner figure is its own
            whole = _noun(doc, inner, depth + 1)
            return _Noun(num.j, whole.head, whole.unit)
    if (k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_
            and doc[k + 1].is_alpha):
        # "100-town" counts towns; "48-hour", "two-pronged" count nothing
        row = _unit_row(doc[k + 1])
        if row is not None and row["unit"] == "person" and row["counts"] == "other":
            # "a 13-member cabinet": a body's size, unless of fighters
            group = _head_after(doc, k + 2)
            row = (row if group is None or (_unit_row(group) or {}).get("unit") == "person"
                   else None)
        return _Noun(k + 2, doc[k + 1] if row else None, row, dropped=row is None)
    words = " ".join(t.lemma_.lower() for t in doc[k : k + 2])
    if words in _units():
        return _Noun(k + 2, doc[k + 1], _units()[words], of_them)
    head = _head_after(doc, k) or dash_noun(doc, num.i, lambda t: _unit_row(t) is not None)
    if head is not None and head.i < num.i:  # "tanks — 9335 (+13)": a list line
        return _Noun(num.j, head, _unit_row(head))
    if head is None:
        before = _noun_before(doc, num)
        return _Noun(k if more else num.j, before, _unit_row(before) if before else None, of_them,
                     more=more)
    return _Noun(head.i + 1, head, _unit_row(head), of_them, more=more)


def _noun_before(doc: Doc, num: Num) -> Token | None:
    """ "a crew of 20": a counted noun before "of" when nothing follows the number."""
    if (num.i < 2 or doc[num.i - 1].lower_ != "of"
            or num.j < len(doc) and doc[num.j].pos_ in ("NOUN", "PROPN")):
        return None
    tok = doc[num.i - 2]
    collective = non_figure().get(tok.lemma_.lower()) in _COLLECTIVE  # "a first group of 75,000"
    return tok if tok.pos_ == "NOUN" and (_unit_row(tok) is not None or collective) else None


def _head_after(doc: Doc, k: int) -> Token | None:
    """The head noun of the phrase starting at token k, through adjectives and participles."""
    head, end, seen_noun = None, k, False
    while end < len(doc) and end < k + 7:
        tok = doc[end]
        glued = end > 0 and not doc[end - 1].whitespace_
        model = model_unit(tok)
        if model is not None:  # "F-16s", "Iskander-M": the model is the head unless a noun follows
            head, seen_noun, end = tok, True, model[1]
            continue
        if glued_modifier(doc, end):  # "Israeli-made Harop drones"
            end += 3
            continue
        if (seen_noun and head is not None and head.pos_ == "PROPN" and tok.pos_ == "ADJ"
                and end + 1 < len(doc) and doc[end + 1].pos_ == "NOUN"):
            end += 1  # "Iskander-M ballistic missiles": the noun after the model is the head
            continue
        if tok.pos_ in ("NOUN", "PROPN") or tok.text in ("$", "%"):
            head, seen_noun = tok, True
        elif seen_noun and not (glued and tok.text == "-"):
            break
        elif (tok.pos_ == "ADJ" or tok.tag_ in ("VBN", "VBG") or tok.dep_ == "amod"
              or tok.text == "-" or glued and tok.pos_ == "NUM"):
            if _unit_row(tok) is not None and head is None:
                head = tok
        elif tok.pos_ == "CCONJ" and end + 1 < len(doc) and doc[end + 1].pos_ in ("ADJ", "PROPN"):
            pass
        else:
            break
        end += 1
    return head


def _cue_counts(doc: Doc, anchor: Token, unit: str, span: tuple[int, int], floor: int = 0,
                depth: int = 4) -> str | None:
    """What the figure counts, from the nearest cue: own words, governing words, clause,
    sentence."""
    cue = _cue(doc, anchor, unit, span, floor, depth)
    return cue["counts"] if cue else None


def _cue(doc: Doc, anchor: Token, unit: str, span: tuple[int, int], floor: int = 0,
         depth: int = 4) -> dict[str, str] | None:
    """The nearest, then strongest, counts cue row for a figure of ``unit``.

    The clause and sentence levels depend on the clause or sentence only, so their answers
    are kept per document: figures of one long sentence no longer rescan it each.
    """
    own = _best_cue(doc[span[0] : min(span[1] + 1, len(doc))], unit, floor)
    if own is not None or depth < 2:
        return own
    chain: list[Token] = []
    tok = anchor
    while tok.head.i != tok.i and len(chain) < 8:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "xcomp":
            break  # the governing verb ends the chain: "... while rebels claim to have downed 7"
        tok = tok.head
        chain.append(tok)
    found = _best_cue(chain, unit, floor)
    if found is not None or depth < 3:
        return found
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        found = _memo(doc, ("clause", verb.i, unit, floor),
                      lambda: _best_cue(subtree(verb), unit, floor))
    if found is not None or depth < 4:
        return found
    sent = anchor.sent
    return _memo(doc, ("sentence", sent.start, unit, floor),
                 lambda: _best_cue(sent, unit, floor))


def _best_cue(toks: Iterable[Token], unit: str, floor: int) -> dict[str, str] | None:
    """The strongest cue row among ``toks`` (the first of equal ones), at least ``floor``."""
    best: _CueRow | None = None
    for t in toks:
        for cue in _cues_for(t):
            if unit not in cue.units or cue.pos and cue.pos != t.pos_:
                continue
            words = cue.words
            if len(words) == 2 and not any(words[1] in (c.lower_, ">" + c.dep_)
                                           for c in children(t)):
                continue  # "take off" needs its particle, "leave >dobj" an object
            if cue.priority >= floor and (best is None or cue.priority > best.priority):
                best = cue
    return best.row if best else None


def _civilian_counts(doc: Doc, noun: _Noun, counts: str) -> str:
    """Killed civilians are their own category: "killing 12 children", "eight members of her
    family"."""
    if counts != "killed" or noun.head is None:
        return counts
    near = [noun.head] + list(doc[noun.head.i + 1 : noun.head.i + 5])
    def word(t: Token) -> str:
        return re.sub(r"[^a-z].*$", "", t.lemma_.lower())  # "family.</p" from raw HTML

    partitive = noun.head.i + 1 < len(doc) and doc[noun.head.i + 1].lower_ == "of"
    hit = (word(near[0]) in _civilian()
           or partitive and any(word(t) in _civilian() for t in near[1:]))
    if not hit and word(noun.head) in _civilian("generic"):
        hit = _civilian_context(doc, noun.head)
    return "civilians_killed" if hit else counts


def _civilian_context(doc: Doc, head: Token) -> bool:
    """ "killing three people, including a shepherd", "46 people, most of them women and
    children", "stormed a bar ..., killing four men": generic victims are civilians when the
    words right after them name civilians, or the attack's target is a civilian place."""
    sent = head.sent
    after = doc[head.i + 1 : min(head.i + 12, sent.end)]
    lead = [t.lower_ for t in after[:3]]
    # "four of them children" names only some: not all victims are civilians
    if (lead and lead[0] in (",", "including") and _MOSTLY & set(lead)
            and any(t.lemma_.lower() in _civilian() for t in after)):
        return True
    first = _memo(doc, ("civilian place", sent.start), lambda: _first_civilian_place(sent))
    return first is not None and first < head.i


def _first_civilian_place(sent: Iterable[Token]) -> int | None:
    """The first object naming a civilian place ("a bar", "the market") in a sentence."""
    places = _civilian("place")
    return next((t.i for t in sent if t.lemma_.lower() in places and t.dep_ in ("dobj", "pobj")),
                None)


def _person_row(doc: Doc, noun: _Noun, span: tuple[int, int]) -> dict[str, str] | None:
    """An unlisted noun names people when its verb only happens to people ("seafarers were
    killed", "helped bury 73 villagers") or an agent noun takes a person verb ("rescued 21
    survivors")."""
    if noun.head is None or noun.head.pos_ not in ("NOUN", "PROPN"):
        return None
    cue = _cue(doc, noun.head, "person", span, depth=2)
    if cue and (cue["person_only"] == "1" or _agent_noun(noun.head)):
        return _units()["person"]
    return None


@dataclass
class _Earlier:
    """The figures already built in one sentence, in text order (with "counts from an own
    cue"), and the last of them of a known unit: what a list item inherits its kind from."""

    items: list[tuple[FigureMention, bool]] = field(default_factory=list)
    kin: FigureMention | None = None

    def add(self, built: tuple[FigureMention, bool]) -> None:
        self.items.append(built)
        if built[0].unit != "other":
            self.kin = built[0]


def _kind(doc: Doc, num: Num, noun: _Noun,
          earlier: _Earlier) -> tuple[dict[str, str] | None, str, str, bool] | None:
    """(unit row, unit, counts, counts from an own cue), or None when nothing says what is
    counted."""
    prev = earlier.items
    row = noun.unit or _person_row(doc, noun, (num.i, noun.end))
    if num.core > 0 and doc[num.core - 1].text == "$" or num.i > 0 and doc[num.i - 1].text == "$":
        row = _units()["$"]
    if noun.more and row is None and prev:
        return None, prev[-1][0].unit, prev[-1][0].counts, True  # "thousands more had reached ..."
    group = (noun.head is not None and noun.head.i < num.i
             and non_figure().get(noun.head.lemma_.lower()) in _COLLECTIVE)
    if row is None and prev and (
            group or noun.head is None and elliptical(doc, num.i, num.j, _LIST_GLUE)):
        kin = earlier.kin or prev[-1][0]
        # "... 104 drones over 12 regions, including 41 over X"
        return None, kin.unit, kin.counts, True
    anchor = noun.head or doc[num.core]
    unit = row["unit"] if row else "other"
    # weak cues don't override "troops"
    strong = 5 if row and row["counts"] not in ("other", "") else 0
    counts = _cue_counts(doc, anchor, unit, (num.i, noun.end), strong)
    if row is None and (noun.head is None or group):
        counts = _cue_counts(doc, anchor, "person", (num.i, noun.end), depth=3)
        if counts is None:
            return None  # a bare number nothing counts: "won 3", "page 3"
        unit = "person"
    own = counts is not None
    counts = counts or (row["counts"] if row else "other")
    listed = noun.of_them or not own and doc[num.i - 1].lower_ in _LIST_GLUE
    if (prev and listed and row is None and prev[-1][0].unit == "person"
            and noun.head is not None and noun.head.pos_ == "PROPN"):
        # "13 South Africans, three Malawians and one Uruguayan": items share a kind
        unit = "person"
    inherit = (prev and prev[-1][0].unit == unit and prev[-1][1]
               and prev[-1][0].counts in _EVENT_COUNTS)
    if inherit and listed:
        counts, own = prev[-1][0].counts.replace("civilians_", ""), True
    return row, unit, counts, own


def _build(doc: Doc, num: Num, noun: _Noun, earlier: _Earlier) -> tuple[FigureMention, bool] | None:
    """One FigureMention, or None when nothing says what the number counts."""
    kind = _kind(doc, num, noun, earlier)
    if kind is None:
        return None
    row, unit, counts, own = kind
    counts = _civilian_counts(doc, noun, counts) if unit == "person" else counts
    start = doc[num.i - 1].idx if num.i > 0 and doc[num.i - 1].text == "$" else doc[num.i].idx
    end = doc[max(noun.end, num.j) - 1].idx + len(doc[max(noun.end, num.j) - 1].text)
    claimant, report_hedged, report_hedge = attribute(doc, start, end)
    claimant = claimant or document_issuer(doc)  # a signed release speaks for its issuer
    value = num.value if not num.vague and (num.low is None or num.high is None) else None
    si_value, si_unit = si(value, row)
    hedge = num.hedge or report_hedge or list_hedge(doc, num.i)
    fig = FigureMention(
        span=Span(start, end, text_of(doc)[start:end]), value=value, low=num.low, high=num.high,
        unit=unit, counts=counts, si_value=si_value, si_unit=si_unit, claimant=claimant,
        hedged=bool(num.hedge) or report_hedged or hedge is not None, hedge=hedge,
    )
    return fig, own


def _named(noun: _Noun, num: Num, doc: Doc) -> bool:
    """ "the 400 Mawozo gang", "the 33rd Front": digits glued to a name before a singular noun
    are part of the name; a count needs a plural ("217 Fano fighters") or a unit word."""
    head = noun.head
    if (head is None or noun.unit is not None or model_unit(head)
            or head.tag_ not in ("NN", "NNP") or not _DIGITS.match(doc[num.core].text)):
        return False
    between = doc[num.j : head.i]
    return (any(t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "GPE") for t in between)
            or head.pos_ == "PROPN" and head.i == num.j)


def _keep(noun: _Noun, num: Num, doc: Doc) -> bool:
    """Drop durations, sports tallies and a bare "one side" (pronoun-like "one")."""
    if noun.dropped or noun.head is not None and is_speaker(noun.head):
        return False
    tokens: Iterable[Token] = doc[num.j : noun.end] if noun.head is not None else []
    if any(non_figure().get(t.lemma_.lower(), "collective") != "collective"
           or non_figure().get(t.lower_, "collective") != "collective" for t in tokens):
        return False
    if _named(noun, num, doc):
        return False
    # "13 South Africans ... and one Uruguayan"
    listed = num.i > 0 and doc[num.i - 1].lower_ in ("and", ",")
    partitive = num.j < len(doc) and doc[num.j].lower_ == "of"
    agent = noun.head is not None and noun.head.lower_.endswith(
        tuple(x.rstrip("s") for x in _person_suffixes()))
    # "one operator was killed"
    person = (agent and noun.unit is None
              and _person_row(doc, noun, (num.i, noun.end)) is not None)
    lone = noun.unit is None and not listed and not person or partitive
    # "one side of the trench", "Cairo, one of the mediators": pronoun-like "one"
    return not (doc[num.core].lower_ == "one" and num.j == num.core + 1 and lone)


def find_figures(doc: Doc, *, start: int = 0, skip: Sequence[Span] = ()) -> list[FigureMention]:
    """Every claimed number in ``doc`` from char ``start`` on, ignoring spans inside ``skip``.

    A figure reads the figures before it in its sentence (list items share a kind); they are
    kept per sentence, so a sentence of thousands of numbers costs each number a lookup.
    """
    install(doc)
    out: list[tuple[FigureMention, bool]] = []
    by_sentence: dict[int, _Earlier] = {}
    ages: set[int] = set()
    skipped = _covered(skip)
    document_issuer(doc, skip)  # cached for the figures' fallback claimant
    k = next((t.i for t in doc if t.idx >= start), len(doc))
    while k < len(doc):
        tok = doc[k]
        num = parse(doc, k) if not skipped(tok.idx) else None
        if num is None:
            k += 1
            continue
        reason = excluded(doc, num, ages, lambda tok: _unit_row(tok) is not None)
        if reason:
            if reason == "age":
                ages.add(num.j - 1)
            k = num.j
            continue
        noun = _noun(doc, num)
        same = by_sentence.get(sentence_number(doc, k), _Earlier())
        built = _build(doc, num, noun, same) if _keep(noun, num, doc) else None
        if built is not None:
            found = [built]
            change = delta(doc, max(num.j, noun.end), built[0])
            if change is not None:
                found.append((change, built[1]))
            for figure in found:
                out.append(figure)
                by_sentence.setdefault(_sentence_of(doc, figure[0]), _Earlier()).add(figure)
        k = max(num.j, noun.end if built else num.j)
    return [fig for fig, _ in out]


def _sentence_of(doc: Doc, figure: FigureMention) -> int:
    """The number of the sentence of the figure's first token."""
    span = doc.char_span(figure.span.start, figure.span.end, alignment_mode="expand")
    return sentence_number(doc, span.start if span is not None else 0)


def _covered(spans: Sequence[Span]) -> Callable[[int], bool]:
    """Is a character offset inside any of ``spans``? A bisection over their union."""
    merged: list[list[int]] = []
    for span in sorted((s for s in spans if s.start < s.end), key=lambda s: s.start):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    starts = [m[0] for m in merged]

    def inside(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < merged[k][1]

    return inside

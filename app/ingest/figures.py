"""Claimed figures: numbers in war reporting, what they count, and in which unit.

Number spotting is our own small token parser rather than a converter library: converters
run on free text turn "a further" into "1 further", and none know the vague quantities
("tens of thousands") the annotation conventions need. Every lexicon (number words, bound
cues, units, counted nouns, non-figure nouns) lives in ``data/`` so other wars and outlets
need new rows, not new code. Who claims a figure and how hedged it is: ``claims.py``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from app.ingest.claims import attribute, is_speaker
from app.ingest.types import FigureMention, Span

DATA = Path(__file__).parent / "data"
_DIGITS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DETS = {"the", "its", "their", "his", "her", "our", "these", "those", "whom", "them"}
_ANAPHORIC = {"the", "these", "those", "both", "all"}
_EVENT_COUNTS = {"killed", "wounded", "civilians_killed", "evacuated", "prisoners"}
_LIST_GLUE = {",", "–", "—", ":", ";", "and", "including", "them", "among"}


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _quantities() -> dict[str, dict[str, str]]:
    return {r["word"]: r for r in _rows("quantity_words.csv")}


@lru_cache(maxsize=1)
def _bounds() -> list[tuple[list[str], str, bool]]:
    rows = [(r["phrase"].split(), r["bound"], r["hedged"] == "1") for r in _rows("bound_cues.csv")]
    return sorted(rows, key=lambda row: -len(row[0]))


@lru_cache(maxsize=1)
def _units() -> dict[str, dict[str, str]]:
    return {r["surface"]: r for r in _rows("units.csv")}


@lru_cache(maxsize=1)
def _non_figure() -> dict[str, str]:
    return {r["lemma"]: r["category"] for r in _rows("non_figure_nouns.csv")}


@lru_cache(maxsize=1)
def _cues() -> list[dict[str, str]]:
    return _rows("counts_cues.csv")


@lru_cache(maxsize=1)
def _civilian() -> frozenset[str]:
    return frozenset(r["lemma"] for r in _rows("civilian_nouns.csv"))


@dataclass
class _Num:
    """A parsed number phrase: token range [i, j) including its bound cue."""

    i: int
    j: int
    core: int
    value: float | None
    low: float | None
    high: float | None
    hedge: str | None = None
    vague: bool = False


def _word_value(tokens: list[Token]) -> tuple[float | None, int]:
    """Parse spelled numbers ("two million", "a dozen", "twenty-five"); returns (value, length)."""
    q, total, current, n, seen = _quantities(), 0.0, 0.0, 0, False
    for k, tok in enumerate(tokens):
        low = tok.lower_
        row = q.get(low)
        if low == "-" and seen and k + 1 < len(tokens) and tokens[k + 1].lower_ in q:
            continue
        if low == "and" and seen and k + 1 < len(tokens) and q.get(tokens[k + 1].lower_, {}).get("kind") == "number":
            continue
        if row is None or row["kind"] == "vague":
            break
        kind, val = row["kind"], float(row["value"])
        if kind == "article":
            nxt = q.get(tokens[k + 1].lower_, {}) if k + 1 < len(tokens) else {}
            if seen and current != 0.5 or nxt.get("kind") not in ("scale", "number") or tokens[k + 1].lower_ != "dozen" and nxt.get("kind") == "number":
                break
            current = current or 1.0
            continue
        elif kind in ("number", "fraction"):
            current = current + val if kind == "number" else val
        elif kind == "scale":
            if low in ("m", "mn", "bn", "k"):
                break
            if val == 100:
                current = (current or 1.0) * 100
            else:
                total, current = total + (current or 1.0) * val, 0.0
        seen, n = True, k + 1
    return ((total + current) if seen else None), n


def _digit_value(doc: Doc, k: int) -> tuple[float | None, int]:
    """Digits with separators and an optional scale word ("1.5 million", "2m")."""
    tok = doc[k]
    if not _DIGITS.match(tok.text):
        return None, k
    val = float(tok.text.replace(",", ""))
    if k + 1 < len(doc):
        nxt = doc[k + 1].lower_
        row = _quantities().get(nxt)
        short = nxt in ("m", "mn", "bn", "k") and not tok.whitespace_
        if row and row["kind"] == "scale" and (short or nxt in ("hundred", "thousand", "million", "billion")):
            return val * float(row["value"]), k + 2
    return val, k + 1


def _vague(doc: Doc, k: int) -> tuple[_Num | None, int]:
    """Vague quantities, longest phrase first ("hundreds of thousands" before "hundreds")."""
    q = _quantities()
    for size in (3, 1):
        words = " ".join(t.lower_ for t in doc[k : k + size])
        row = q.get(words)
        if row and row["kind"] == "vague":
            nxt = doc[k + size] if k + size < len(doc) else None
            if words in ("scores",) and (nxt is None or nxt.lower_ != "of"):
                return None, k
            return _Num(k, k + size, k, None, float(row["low"]), float(row["high"]), words, True), k + size
    return None, k


def _core(doc: Doc, k: int) -> _Num | None:
    """The number itself at token k: a range, a vague quantity, digits or words."""
    if doc[k].lower_ == "between":
        a = _core(doc, k + 1) if k + 1 < len(doc) else None
        if a and a.j < len(doc) and doc[a.j].lower_ == "and" and a.j + 1 < len(doc):
            b = _core(doc, a.j + 1)
            if b and a.value is not None and b.value is not None:
                return _Num(k, b.j, a.core, None, a.value, b.value)
        return None
    vague, _ = _vague(doc, k)
    if vague:
        return vague
    val, end = _digit_value(doc, k)
    if val is None:
        val, n = _word_value(list(doc[k : k + 6]))
        end = k + n
    if val is None:
        return None
    num = _Num(k, end, k, val, None, None)
    return _range_tail(doc, num)


def _range_tail(doc: Doc, num: _Num) -> _Num:
    """ "3,000-4,000" and "10 to 15" ranges; a descending pair is a score, flagged by low > high."""
    j = num.j
    if j + 1 < len(doc) and doc[j].text in ("-", "–", "to") and _DIGITS.match(doc[j + 1].text):
        if doc[j].text == "to" and not _DIGITS.match(doc[num.core].text):
            return num
        other, end = _digit_value(doc, j + 1)
        if other is not None:
            return _Num(num.i, end, num.core, None, num.value, other)
    return num


def _parse(doc: Doc, k: int) -> _Num | None:
    """Bound cue (optional) then number: "as many as 300", "at least 3", "some 14,000"."""
    for words, bound, hedged in _bounds():
        if [t.lower_ for t in doc[k : k + len(words)]] == words and k + len(words) < len(doc):
            num = _core(doc, k + len(words))
            if num is None or num.value is None:
                continue
            num.i = k
            num.low = num.value if bound == "low" else None
            num.high = num.value if bound == "high" else None
            num.hedge = " ".join(words) if hedged else None
            return num
    return _core(doc, k)


def _excluded(doc: Doc, num: _Num, ages: set[int]) -> str | None:
    """Never figures: ages, dates, years, names, scores, phones, anaphoric "the two men"."""
    core, nf = doc[num.core], _non_figure()
    prev = doc[num.i - 1] if num.i > 0 else None
    nxt = doc[num.j] if num.j < len(doc) else None
    if num.low is not None and num.high is not None and num.low > num.high:
        return "other"  # "115-112", "22-0": scores
    if prev is not None and (nf.get(prev.lower_) in ("age",) or doc[max(0, num.i - 3) : num.i].text.lower() in ("as young as", "as old as")):
        return "age"
    if prev is not None and prev.text in (",", "and") and num.i - 2 in ages:
        return "age"  # "aged five, eight and nine"
    if prev is not None and prev.text == "," and num.i > 1 and doc[num.i - 2].pos_ == "PROPN" and (nxt is None or nxt.text in (",", ".", ")", ";")):
        return "age"  # "Usyk, 37,": an age in apposition
    for tok in (prev, nxt):
        if tok is not None and tok.text[:1].isupper() and nf.get(tok.lower_.rstrip(".")) == "month":
            return "other"
    if re.fullmatch(r"1[89]\d\d|20\d\d", core.text) and num.value is not None:
        return "other"
    if prev is not None and (prev.text in ("+", "[", "#", "No.") or _DIGITS.match(prev.text)):
        return "other"
    if nxt is not None and (nxt.text in ("]",) or _DIGITS.match(nxt.text) and nxt.i != num.core):
        return "other"
    if prev is not None and prev.text == "-" and not doc[num.i - 2].whitespace_ and doc[num.i - 2].is_alpha:
        return "other"  # "Ka-52", "F-16", "S-300"
    named = prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ not in ("NORP", "GPE", "LOC")
    if named and _DIGITS.match(core.text) and num.hedge is None and (nxt is None or _unit_row(nxt) is None):
        return "other"  # "Operation 1027", "Resolution 2334"
    spelled = not _DIGITS.match(core.text) and not num.vague
    anaphoric = prev is not None and spelled and prev.lower_ in _ANAPHORIC and (num.value or 0) < 10
    return "anaphoric" if anaphoric else None


@dataclass
class _Noun:
    end: int
    head: Token | None
    unit: dict[str, str] | None
    of_them: bool = False
    dropped: bool = False


def _unit_row(tok: Token) -> dict[str, str] | None:
    units = _units()
    row = units.get(tok.lower_) or units.get(tok.lemma_.lower())
    if row is None and tok.ent_type_ == "NORP":
        row = units["soldier"]  # "300 Ukrainians": nationals counted in war reporting
    return row


def _noun(doc: Doc, num: _Num) -> _Noun:
    """The counted noun after the number: "54 armoured vehicles", "tens of thousands of jail convicts"."""
    k, of_them = num.j, False
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k + 1].lower_ in ("them", "whom"):
        k, of_them = k + 2, True
    elif k < len(doc) and doc[k].lower_ == "of":
        k += 1
        while k < len(doc) and doc[k].lower_ in _DETS:
            k += 1
    if k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_ and doc[k + 1].is_alpha:
        row = _unit_row(doc[k + 1])  # "100-town" counts towns; "48-hour", "two-pronged" count nothing
        return _Noun(k + 2, doc[k + 1] if row else None, row, dropped=row is None)
    for size in (2, 1):
        words = " ".join(t.lemma_.lower() for t in doc[k : k + size])
        if size == 2 and words in _units():
            return _Noun(k + 2, doc[k + 1], _units()[words], of_them)
    head, end, seen_noun = None, k, False
    while end < len(doc) and end < k + 7:
        tok = doc[end]
        glued = end > 0 and not doc[end - 1].whitespace_
        if tok.pos_ in ("NOUN", "PROPN") or tok.text in ("$", "%"):
            head, seen_noun = tok, True
        elif seen_noun and not (glued and tok.text == "-"):
            break
        elif tok.pos_ == "ADJ" or tok.tag_ in ("VBN", "VBG") or tok.dep_ == "amod" or tok.text == "-" or glued and tok.pos_ == "NUM":
            if _unit_row(tok) is not None and head is None:
                head = tok
        elif tok.pos_ == "CCONJ" and end + 1 < len(doc) and doc[end + 1].pos_ in ("ADJ", "PROPN"):
            pass
        else:
            break
        end += 1
    if head is None:
        return _Noun(num.j, None, None, of_them)
    return _Noun(head.i + 1, head, _unit_row(head), of_them)


def _cue_counts(doc: Doc, anchor: Token, unit: str, span: tuple[int, int], floor: int = 0,
                depth: int = 4) -> str | None:
    """What the figure counts, from the nearest cue: own words, governing words, clause, sentence."""
    levels: list[list[Token]] = [list(doc[span[0] : min(span[1] + 1, len(doc))])]
    chain, tok = [], anchor
    while tok.head.i != tok.i and len(chain) < 8:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "xcomp":
            break  # the governing verb ends the chain: "... while rebels claim to have downed 7"
        tok = tok.head
        chain.append(tok)
    levels.append(chain)
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    levels.append(list(verb.subtree) if verb is not None else [])
    levels.append(list(anchor.sent))
    for toks in levels[:depth]:
        best: tuple[int, str] | None = None
        for t in toks:
            for cue in _cues():
                if unit not in cue["units"].split(";") or cue["pos"] and cue["pos"] != t.pos_:
                    continue
                words = cue["cue"].split()
                if t.lemma_.lower() != words[0] and t.lower_ != words[0]:
                    continue
                if len(words) == 2 and not any(words[1] in (c.lower_, ">" + c.dep_) for c in t.children):
                    continue  # "take off" needs its particle, "leave >dobj" an object
                if int(cue["priority"]) >= floor and (best is None or int(cue["priority"]) > best[0]):
                    best = (int(cue["priority"]), cue["counts"])
        if best:
            return best[1]
    return None


def _civilian_counts(doc: Doc, noun: _Noun, counts: str) -> str:
    """Killed civilians are their own category: "killing 12 children", "eight members of her family"."""
    if counts != "killed" or noun.head is None:
        return counts
    near = [noun.head] + list(doc[noun.head.i + 1 : noun.head.i + 5])
    def word(t: Token) -> str:
        return re.sub(r"[^a-z].*$", "", t.lemma_.lower())  # "family.</p" from raw HTML

    partitive = noun.head.i + 1 < len(doc) and doc[noun.head.i + 1].lower_ == "of"
    hit = word(near[0]) in _civilian() or partitive and any(word(t) in _civilian() for t in near[1:])
    return "civilians_killed" if hit else counts


def _si(value: float | None, row: dict[str, str] | None) -> tuple[float | None, str | None]:
    if row is None or not row.get("si_unit"):
        return None, None
    if value is None:
        return None, row["si_unit"]
    return float(f"{value * float(row['si_factor']):.6g}"), row["si_unit"]


def _build(doc: Doc, num: _Num, noun: _Noun, prev: list[tuple[FigureMention, bool]]) -> tuple[FigureMention, bool] | None:
    """One FigureMention, or None when nothing says what the number counts."""
    row = noun.unit
    if num.core > 0 and doc[num.core - 1].text == "$" or num.i > 0 and doc[num.i - 1].text == "$":
        row = _units()["$"]
    anchor = noun.head or doc[num.core]
    unit = row["unit"] if row else "other"
    strong = 5 if row and row["counts"] not in ("other", "") else 0  # weak cues don't override "troops"
    counts = _cue_counts(doc, anchor, unit, (num.i, noun.end), strong)
    if row is None and noun.head is None:
        counts = _cue_counts(doc, anchor, "person", (num.i, noun.end), depth=3)
        if counts is None:
            return None  # a bare number nothing counts: "won 3", "page 3"
        unit = "person"
    own = counts is not None
    counts = counts or (row["counts"] if row else "other")
    listed = noun.of_them or not own and doc[num.i - 1].lower_ in _LIST_GLUE
    if prev and listed and row is None and prev[-1][0].unit == "person" and noun.head is not None and noun.head.pos_ == "PROPN":
        unit = "person"  # "13 South Africans, three Malawians and one Uruguayan": items share a kind
    inherit = prev and prev[-1][0].unit == unit and prev[-1][1] and prev[-1][0].counts in _EVENT_COUNTS
    if inherit and listed:
        counts, own = prev[-1][0].counts.replace("civilians_", ""), True
    counts = _civilian_counts(doc, noun, counts) if unit == "person" else counts
    start = doc[num.i - 1].idx if num.i > 0 and doc[num.i - 1].text == "$" else doc[num.i].idx
    end = doc[max(noun.end, num.j) - 1].idx + len(doc[max(noun.end, num.j) - 1].text)
    claimant, report_hedged, report_hedge = attribute(doc, start, end)
    value = num.value if not num.vague and (num.low is None or num.high is None) else None
    si_value, si_unit = _si(value, row)
    hedge = num.hedge or report_hedge
    fig = FigureMention(
        span=Span(start, end, doc.text[start:end]), value=value, low=num.low, high=num.high,
        unit=unit, counts=counts, si_value=si_value, si_unit=si_unit, claimant=claimant,
        hedged=bool(num.hedge) or report_hedged, hedge=hedge,
    )
    return fig, own


def _keep(noun: _Noun, num: _Num, doc: Doc) -> bool:
    """Drop durations, sports tallies and a bare "one side" (pronoun-like "one")."""
    if noun.dropped or noun.head is not None and is_speaker(noun.head):
        return False
    tokens = doc[num.j : noun.end] if noun.head is not None else []
    if any(_non_figure().get(t.lemma_.lower()) or _non_figure().get(t.lower_) for t in tokens):
        return False
    listed = num.i > 0 and doc[num.i - 1].lower_ in ("and", ",")  # "13 South Africans ... and one Uruguayan"
    partitive = num.j < len(doc) and doc[num.j].lower_ == "of"
    lone = noun.unit is None and not listed or partitive
    # "one side of the trench", "Cairo, one of the mediators": pronoun-like "one"
    return not (doc[num.core].lower_ == "one" and num.j == num.core + 1 and lone)


def find_figures(doc: Doc, *, start: int = 0, skip: Sequence[Span] = ()) -> list[FigureMention]:
    """Every claimed number in ``doc`` from char ``start`` on, ignoring spans inside ``skip``."""
    out: list[tuple[FigureMention, bool]] = []
    ages: set[int] = set()
    k = next((t.i for t in doc if t.idx >= start), len(doc))
    while k < len(doc):
        tok = doc[k]
        num = _parse(doc, k) if not any(s.start <= tok.idx < s.end for s in skip) else None
        if num is None:
            k += 1
            continue
        reason = _excluded(doc, num, ages)
        if reason:
            if reason == "age":
                ages.add(num.j - 1)
            k = num.j
            continue
        noun = _noun(doc, num)
        same = [f for f in out if doc.char_span(f[0].span.start, f[0].span.end, alignment_mode="expand").sent == tok.sent]
        built = _build(doc, num, noun, same) if _keep(noun, num, doc) else None
        if built is not None:
            out.append(built)
        k = max(num.j, noun.end if built else num.j)
    return [fig for fig, _ in out]

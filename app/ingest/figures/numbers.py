"""Number phrases in war reporting: digits, spelled numbers, ranges, bounds, vague quantities.

Our own small token parser rather than a converter library: converters run on free text
turn "a further" into "1 further", and none know the vague quantities ("tens of thousands",
"a few dozen") the annotation conventions need. The lexicons (number words, bound cues) live
in ``data/`` so other outlets need new rows, not new code. What a number counts: ``figures.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from app.ingest.knowledge import rows

DIGITS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DIGITS = DIGITS
_SCALE_WORDS = {"thousand", "million", "billion"}
ANAPHORIC = {"the", "these", "those", "both"}  # "the two men": already counted


@lru_cache(maxsize=1)
def _quantities() -> dict[str, dict[str, str]]:
    return {r["word"]: r for r in rows("figures/data/quantity_words.csv")}


@lru_cache(maxsize=1)
def _bounds() -> dict[str, list[tuple[list[str], str, bool]]]:
    """Bound cues by first word, longest first: each token is tried only against the cues it
    can start ("at least", "as many as"), not against the whole table."""
    found = [(r["phrase"].split(), r["bound"], r["hedged"] == "1")
             for r in rows("figures/data/bound_cues.csv")]
    index: dict[str, list[tuple[list[str], str, bool]]] = {}
    for row in sorted(found, key=lambda row: -len(row[0])):
        index.setdefault(row[0][0], []).append(row)
    return index


@lru_cache(maxsize=1)
def non_figure() -> dict[str, str]:
    return {r["lemma"]: r["category"] for r in rows("figures/data/non_figure_nouns.csv")}


@dataclass
class Num:
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
    fraction_skip = 0
    for k, tok in enumerate(tokens):
        low = tok.lower_
        row = q.get(low)
        if low == "-" and seen and k + 1 < len(tokens) and tokens[k + 1].lower_ in q:
            continue
        if (low == "and" and seen and k + 1 < len(tokens)
                and q.get(tokens[k + 1].lower_, {}).get("kind") == "number"):
            continue
        if low == "and" and seen and [t.lower_ for t in tokens[k + 1 : k + 3]] == ["a", "half"]:
            current, n = current + 0.5, k + 3  # "one and a half million"
            fraction_skip = 2
            continue
        if fraction_skip:
            fraction_skip -= 1
            continue
        if row is None or row["kind"] == "vague":
            break
        kind, val = row["kind"], float(row["value"])
        if kind == "article":
            nxt = q.get(tokens[k + 1].lower_, {}) if k + 1 < len(tokens) else {}
            if (seen and current != 0.5 or nxt.get("kind") not in ("scale", "number")
                    or tokens[k + 1].lower_ != "dozen" and nxt.get("kind") == "number"):
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
        if row and row["kind"] == "scale" and (
                short or nxt in ("hundred", "thousand", "million", "billion")):
            return val * float(row["value"]), k + 2
    return val, k + 1


def _vague(doc: Doc, k: int) -> tuple[Num | None, int]:
    """Vague quantities, longest phrase first ("hundreds of thousands" before "hundreds")."""
    q = _quantities()
    for size in (3, 2, 1):
        words = " ".join(t.lower_ for t in doc[k : k + size])
        row = q.get(words)
        if row and row["kind"] == "vague":
            nxt = doc[k + size] if k + size < len(doc) else None
            if words in ("scores",) and (nxt is None or nxt.lower_ != "of"):
                return None, k
            low, high, end = float(row["low"]), float(row["high"]), k + size
            while (end < len(doc) and q.get(doc[end].lower_, {}).get("kind") == "scale"
                   and doc[end].lower_ in _SCALE_WORDS):
                low, high, end = (low * float(q[doc[end].lower_]["value"]),
                                  high * float(q[doc[end].lower_]["value"]), end + 1)
            # "several hundred thousand": a vague quantity times the scale words after it
            return Num(k, end, k, None, low, high, " ".join(t.lower_ for t in doc[k:end]),
                       True), end
    return None, k


def _core(doc: Doc, k: int) -> Num | None:
    """The number itself at token k: a range, a vague quantity, digits or words."""
    if doc[k].lower_ == "between":
        # a range inside a range has no value, so "between between ..." is no range; saying
        # so before recursing keeps a run of thousands of "between" off the stack
        a = _core(doc, k + 1) if k + 1 < len(doc) and doc[k + 1].lower_ != "between" else None
        if (a and a.j + 1 < len(doc) and doc[a.j].lower_ == "and"
                and doc[a.j + 1].lower_ != "between"):
            b = _core(doc, a.j + 1)
            if b and a.value is not None and b.value is not None:
                return Num(k, b.j, a.core, None, a.value, b.value)
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
    num = Num(k, end, k, val, None, None)
    return _range_tail(doc, num)


def _range_tail(doc: Doc, num: Num) -> Num:
    """ "3,000-4,000" and "10 to 15" ranges; a descending pair is a score, flagged by low > high."""
    j = num.j
    if j + 1 < len(doc) and doc[j].text in ("-", "–", "to") and _DIGITS.match(doc[j + 1].text):
        if doc[j].text == "to" and not _DIGITS.match(doc[num.core].text):
            return num
        other, end = _digit_value(doc, j + 1)
        if other is not None:
            return Num(num.i, end, num.core, None, num.value, other)
    return num


def parse(doc: Doc, k: int) -> Num | None:
    """Bound cue (optional) then number: "as many as 300", "at least 3", "some 14,000"."""
    for words, bound, hedged in _bounds().get(doc[k].lower_, ()):
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


def excluded(doc: Doc, num: Num, ages: set[int], has_unit: Callable[[Token], bool]) -> str | None:
    """Never figures: ages, dates, years, names, scores, phones, anaphoric "the two men"."""
    core, nf = doc[num.core], non_figure()
    prev = doc[num.i - 1] if num.i > 0 else None
    nxt = doc[num.j] if num.j < len(doc) else None
    if num.low is not None and num.high is not None and num.low > num.high:
        return "other"  # "115-112", "22-0": scores
    if prev is not None and (nf.get(prev.lower_) in ("age",)
                             or doc[max(0, num.i - 3) : num.i].text.lower()
                             in ("as young as", "as old as")):
        return "age"
    if prev is not None and prev.text in (",", "and") and num.i - 2 in ages:
        return "age"  # "aged five, eight and nine"
    if (prev is not None and prev.text == "," and num.i > 1 and doc[num.i - 2].pos_ == "PROPN"
            and (nxt is None or nxt.text in (",", ".", ")", ";"))):
        return "age"  # "Usyk, 37,": an age in apposition
    if nxt is not None and nf.get(nxt.lower_.replace("’", "'")) == "clock":
        return "other"  # "about eleven o'clock", "at 5 pm": clock times are never figures
    for tok in (prev, nxt):
        if tok is not None and tok.text[:1].isupper() and nf.get(tok.lower_.rstrip(".")) == "month":
            return "other"
    if re.fullmatch(r"1[89]\d\d|20\d\d", core.text) and num.value is not None:
        return "other"
    if prev is not None and (prev.text in ("+", "[", "#", "No.") or _DIGITS.match(prev.text)):
        return "other"
    if nxt is not None and (nxt.text in ("]",) or _DIGITS.match(nxt.text) and nxt.i != num.core):
        return "other"
    if (prev is not None and prev.text == "-" and not doc[num.i - 2].whitespace_
            and doc[num.i - 2].is_alpha):
        return "other"  # "Ka-52", "F-16", "S-300"
    named = (prev is not None and prev.pos_ == "PROPN"
             and prev.ent_type_ not in ("NORP", "GPE", "LOC"))
    if (named and _DIGITS.match(core.text) and num.hedge is None
            and (nxt is None or not has_unit(nxt))):
        return "other"  # "Operation 1027", "Resolution 2334"
    spelled = not _DIGITS.match(core.text) and not num.vague
    anaphoric = prev is not None and spelled and prev.lower_ in ANAPHORIC and (num.value or 0) < 10
    return "anaphoric" if anaphoric else None


def si(value: float | None, row: dict[str, str] | None) -> tuple[float | None, str | None]:
    """The SI value and unit (km, km2) of a length or area."""
    if row is None or not row.get("si_unit"):
        return None, None
    if value is None:
        return None, row["si_unit"]
    return float(f"{value * float(row['si_factor']):.6g}"), row["si_unit"]

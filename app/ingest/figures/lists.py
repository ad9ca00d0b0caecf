"""Figures in list formats and named weapons: what ``figures.py`` needs beyond running prose.

Military releases and situation reports give losses as list lines ("tanks — 9335 (+13)"): the
counted noun stands before the dash, a daily change follows in parentheses, and a hedge word
closing the list's intro ("... were approximately:") hedges every line. Weapons are often
counted by model name ("six F-16s", "25 Harop drones"); the model table lives in
``data/weapon_models.csv`` so other wars need rows, not code.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from app.ingest.knowledge import rows
from app.ingest.text.doc_index import line_start
from app.ingest.text.doc_text import text_of
from app.ingest.types import FigureMention, Span

_DASHES = {"—", "–", "-", "−"}
_BULLETS = {"•", "·", "*", "-", "–", "—", "▪", "◦", "●"}
_DELTA = re.compile(r"^[+−-]\d[\d,]*$")
_VISIBLE = re.compile(r"\S")
_INTRO = "frontwire.list_intro"
_LINE_TOKEN = "frontwire.line_token"
# A weapon model is a few tokens ("Shahed-136/131" is one, "F-16s" one); a glued run longer
# than this ("1-2-3-4-...", a pasted URL) is never one, and reading it whole from each of its
# tokens was quadratic in its length.
MAX_MODEL_TOKENS = 12


@lru_cache(maxsize=1)
def _models() -> dict[str, str]:
    return {r["model"]: r["unit"] for r in rows("figures/data/weapon_models.csv")}


@lru_cache(maxsize=1)
def _list_hedges() -> frozenset[str]:
    return frozenset(r["phrase"] for r in rows("figures/data/bound_cues.csv") if r["hedged"] == "1")


def _glued_before(doc: Doc, i: int) -> bool:
    """Is token i glued to the word before it (no space, not after an opening bracket)?"""
    prev = doc[i - 1] if i > 0 else None
    return (prev is not None and not prev.whitespace_ and not prev.is_space
            and prev.text not in "(\"'“")


def _chunk_end(doc: Doc, i: int) -> int | None:
    """End of the whitespace-free word starting at token i ("F-16s", "Shahed-136/131"), or
    None past MAX_MODEL_TOKENS tokens."""
    j = i + 1
    while j < len(doc) and not doc[j - 1].whitespace_ and doc[j].text not in ").,;:\"'”":
        j += 1
        if j - i > MAX_MODEL_TOKENS:
            return None
    return j


def model_unit(tok: Token) -> tuple[str, int] | None:
    """(unit, end token) when ``tok`` starts a weapon model name: "F-16s", "Iskander-M",
    "Storm Shadow"."""
    doc, i = tok.doc, tok.i
    j = None if _glued_before(doc, i) else _chunk_end(doc, i)
    if j is None:
        return None
    word = doc[i:j].text.lower()
    nxt = f"{word} {doc[j].lower_}" if j < len(doc) else ""
    for key, end in ((nxt.rstrip("s"), j + 1), (word, j), (word.rstrip("s"), j)):
        if key in _models():
            return _models()[key], end
    head = re.split(r"[-/]", word)[0].rstrip("s")
    if len(head) > 2 and head in _models():
        return _models()[head], j  # "Iskander-M", "Shahed-136/131": the family name
    return None


def glued_modifier(doc: Doc, k: int) -> bool:
    """ "Israeli-made", "Chinese-built": a word glued to a hyphen modifies, it is not the head."""
    return (k + 2 < len(doc) and not doc[k].whitespace_ and doc[k + 1].text == "-"
            and doc[k + 2].tag_ == "VBN")


def _line_start(doc: Doc, k: int) -> int:
    """First token of the text line holding token k (after a bullet), computed once per line:
    per call, walking back through a long line was quadratic in it."""
    starts, firsts = doc.user_data.get(_LINE_TOKEN) or _line_tokens(doc)
    line = starts[k]
    if line not in firsts:
        first = line
        while first < len(doc) and (doc[first].text in _BULLETS or doc[first].is_space):
            first += 1
        firsts[line] = first
    return firsts[line]


def _line_tokens(doc: Doc) -> tuple[array[int], dict[int, int]]:
    """Per token, the first token of its line (one pass); and room for each line's first word."""
    starts = array("i", bytes(4 * len(doc)))
    for t in doc[1:]:
        starts[t.i] = t.i if "\n" in doc[t.i - 1].text else starts[t.i - 1]
    found: tuple[array[int], dict[int, int]] = (starts, {})
    doc.user_data[_LINE_TOKEN] = found
    return found


def dash_noun(doc: Doc, i: int, has_unit: Callable[[Token], bool]) -> Token | None:
    """ "tanks — 9335": in a list line NOUN — NUMBER the counted noun stands before the dash."""
    if i < 2 or doc[i - 1].text not in _DASHES or not doc[i - 1].whitespace_:
        return None
    start = _line_start(doc, i - 1)
    if i - 1 - start > 6:
        return None  # a list line names its noun in a few words; prose is not read back
    nouns = [t for t in doc[start : i - 1] if t.pos_ in ("NOUN", "PROPN") or has_unit(t)]
    if not nouns or any(t.is_punct and t.text not in "/-" for t in doc[start : i - 1]):
        return None
    counted = [t for t in nouns if has_unit(t)]
    return counted[0] if counted else nouns[-1]


def _bulleted(line: str) -> bool:
    return line.strip()[:1] in _BULLETS


def list_hedge(doc: Doc, i: int) -> str | None:
    """A hedge closing the intro of a list ("losses were approximately:") hedges every line."""
    text, pos = text_of(doc), doc[i].idx
    begin = line_start(doc, pos)
    first = _VISIBLE.search(text, begin, pos + 1)
    if first is None or first.group() not in _BULLETS:
        return None
    return _intro_hedge(doc, begin)


def _intro_hedge(doc: Doc, begin: int) -> str | None:
    """The hedge of the nearest line above ``begin`` that is neither blank nor a list item.

    Every line of a long list shares that intro line, so the answer is kept for each line
    passed on the way up: a list of thousands of lines is read once, not once per line.
    """
    text, memo = text_of(doc), doc.user_data.setdefault(_INTRO, {})
    passed, found = [], None
    while begin > 0:
        if begin in memo:
            found = memo[begin]
            break
        passed.append(begin)
        above = line_start(doc, begin - 1)
        line = text[above : begin - 1]
        if line.strip() and not _bulleted(line):
            words = line.strip().rstrip(":").split()
            hedged = line.strip().endswith(":") and words and words[-1].lower() in _list_hedges()
            found = words[-1].lower() if hedged else None
            break
        begin = above
    for line_begin in passed:
        memo[line_begin] = found
    return found


def delta(doc: Doc, j: int, fig: FigureMention) -> FigureMention | None:
    """ "9335 (+13)": the change since the last report, a figure of the same kind and source."""
    if not (j + 2 < len(doc) and doc[j].text == "(" and _DELTA.match(doc[j + 1].text)
            and doc[j + 2].text == ")"):
        return None
    tok = doc[j + 1]
    value = float(tok.text.lstrip("+−-").replace(",", ""))
    scaled = fig.si_value * value / fig.value if fig.si_value is not None and fig.value else None
    span = Span(tok.idx, tok.idx + len(tok.text), tok.text)
    return replace(fig, span=span, value=value, low=None, high=None, si_value=scaled)


def elliptical(doc: Doc, i: int, j: int, glue: set[str]) -> bool:
    """A list item that leaves out the counted noun of the figure before it: "104 drones,
    including 41 over Bryansk and seven over Kursk"; "1.8 million fled, more than 590,000 to
    Chad"."""
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[j] if j < len(doc) else None
    return before in glue and (after is None or after.pos_ == "ADP" or after.is_punct)

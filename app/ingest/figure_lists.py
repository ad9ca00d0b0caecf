"""Figures in list formats and named weapons: what ``figures.py`` needs beyond running prose.

Military releases and situation reports give losses as list lines ("tanks — 9335 (+13)"): the
counted noun stands before the dash, a daily change follows in parentheses, and a hedge word
closing the list's intro ("... were approximately:") hedges every line. Weapons are often
counted by model name ("six F-16s", "25 Harop drones"); the model table lives in
``data/weapon_models.csv`` so other wars need rows, not code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from app.ingest.doc_text import text_of
from app.ingest.knowledge import rows
from app.ingest.types import FigureMention, Span

_DASHES = {"—", "–", "-", "−"}
_BULLETS = {"•", "·", "*", "-", "–", "—", "▪", "◦", "●"}
_DELTA = re.compile(r"^[+−-]\d[\d,]*$")


@lru_cache(maxsize=1)
def _models() -> dict[str, str]:
    return {r["model"]: r["unit"] for r in rows("weapon_models.csv")}


@lru_cache(maxsize=1)
def _list_hedges() -> frozenset[str]:
    return frozenset(r["phrase"] for r in rows("bound_cues.csv") if r["hedged"] == "1")


def _chunk(tok: Token) -> tuple[int, int]:
    """Token range [i, j) of the whitespace-free word holding ``tok`` ("F-16s", "Shahed-136/131")."""
    doc, i, j = tok.doc, tok.i, tok.i + 1
    while i > 0 and not doc[i - 1].whitespace_ and not doc[i - 1].is_space and doc[i - 1].text not in "(\"'“":
        i -= 1
    while j < len(doc) and not doc[j - 1].whitespace_ and doc[j].text not in ").,;:\"'”":
        j += 1
    return i, j


def model_unit(tok: Token) -> tuple[str, int] | None:
    """(unit, end token) when ``tok`` starts a weapon model name: "F-16s", "Iskander-M", "Storm Shadow"."""
    doc = tok.doc
    i, j = _chunk(tok)
    if i != tok.i:
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
    return k + 2 < len(doc) and not doc[k].whitespace_ and doc[k + 1].text == "-" and doc[k + 2].tag_ == "VBN"


def _line_start(doc: Doc, k: int) -> int:
    """First token of the text line holding token k (after a bullet)."""
    while k > 0 and "\n" not in doc[k - 1].text:
        k -= 1
    while k < len(doc) and (doc[k].text in _BULLETS or doc[k].is_space):
        k += 1
    return k


def dash_noun(doc: Doc, i: int, has_unit: Callable[[Token], bool]) -> Token | None:
    """ "tanks — 9335": in a list line NOUN — NUMBER the counted noun stands before the dash."""
    if i < 2 or doc[i - 1].text not in _DASHES or not doc[i - 1].whitespace_:
        return None
    start = _line_start(doc, i - 1)
    nouns = [t for t in doc[start : i - 1] if t.pos_ in ("NOUN", "PROPN") or has_unit(t)]
    if not nouns or i - 1 - start > 6 or any(t.is_punct and t.text not in "/-" for t in doc[start : i - 1]):
        return None
    counted = [t for t in nouns if has_unit(t)]
    return counted[0] if counted else nouns[-1]


def _bulleted(line: str) -> bool:
    return line.strip()[:1] in _BULLETS


def list_hedge(doc: Doc, i: int) -> str | None:
    """A hedge closing the intro of a list ("losses were approximately:") hedges every line."""
    text, pos = text_of(doc), doc[i].idx
    begin = text.rfind("\n", 0, pos) + 1
    if not _bulleted(text[begin:pos + 1]):
        return None
    for line in reversed(text[:begin].split("\n")):
        if not line.strip() or _bulleted(line):
            continue  # the list's other lines
        words = line.strip().rstrip(":").split()
        return words[-1].lower() if line.strip().endswith(":") and words and words[-1].lower() in _list_hedges() else None
    return None


def delta(doc: Doc, j: int, fig: FigureMention) -> FigureMention | None:
    """ "9335 (+13)": the change since the last report, a figure of the same kind and source."""
    if not (j + 2 < len(doc) and doc[j].text == "(" and _DELTA.match(doc[j + 1].text) and doc[j + 2].text == ")"):
        return None
    tok = doc[j + 1]
    value = float(tok.text.lstrip("+−-").replace(",", ""))
    scaled = fig.si_value * value / fig.value if fig.si_value is not None and fig.value else None
    span = Span(tok.idx, tok.idx + len(tok.text), tok.text)
    return replace(fig, span=span, value=value, low=None, high=None, si_value=scaled)


def elliptical(doc: Doc, i: int, j: int, glue: set[str]) -> bool:
    """A list item that leaves out the counted noun of the figure before it: "104 drones,
    including 41 over Bryansk and seven over Kursk"; "1.8 million fled, more than 590,000 to Chad"."""
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[j] if j < len(doc) else None
    return before in glue and (after is None or after.pos_ == "ADP" or after.is_punct)

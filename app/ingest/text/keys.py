"""Folding keys: how two spellings of one name are made to meet. The one set of them.

Each key serves one comparison and they differ on purpose: ``fold`` (gazetteer names)
drops diacritics, apostrophes and case and turns separators into one space ("L'gov", "L’gov"
and "Lgov" meet, "Port-au-Prince" = "port au prince"); ``word_key`` (actor names) keeps
letters and digits only, as words ("Médecins Sans-Frontières" = "medecins sans frontieres");
``compact_key`` (headline repeats) keeps letters and digits without spaces; ``loose_key`` adds
a transliteration-insensitive layer (y/j/i, kh/h, w/v, ou/u, doubled letters, Arabic
articles), because the same Russian, Ukrainian or Arabic name
reaches English news in several spellings ("Graivoron" / GeoNames "Grayvoron", "Khan Younis" /
"Khan Yunis"). The gazetteer indexes by these keys, so every stage that compares place names
uses them from here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD_TABLE = str.maketrans({**dict.fromkeys("'’ʼ`‘ʻ´"), **dict.fromkeys("-‐–—_/.\t\n", " ")})
_VOWEL_I = re.compile(r"(?<=[aeiou])i(?=[aeiou])")
_DOUBLED = re.compile(r"(.)(?=\1)")
_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et"}


def fold(text: str) -> str:
    """Lowercase ASCII key: no diacritics, no apostrophes, separators collapsed to one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


def loose_key(text: str) -> str:
    """Transliteration-insensitive key built on :func:`fold` (see module docstring)."""
    return _loose_cached(fold(text))


def loose_from_folded(folded: str) -> str:
    """:func:`loose_key` of an already folded name (uncached: the index build calls it 700k
    times, and an unbounded cache would keep every key alive)."""
    words = folded.split()
    key = " ".join([w for w in words if w not in _ARTICLES] or words)
    for old, new in (("kh", "h"), ("ou", "u"), ("w", "v"), ("j", "i"), ("y", "i")):
        key = key.replace(old, new)
    return _DOUBLED.sub("", _VOWEL_I.sub("", key))


_loose_cached = lru_cache(maxsize=65536)(loose_from_folded)


def word_key(text: str) -> str:
    """Letters and digits as space-separated lower-case words, accents and apostrophes gone."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"['\u2019`\u02bc]", "", text)).strip()


def compact_key(value: str) -> str:
    """Letters and digits only, lower case, no spaces: how headline repeats are recognised."""
    return re.sub(r"\W+", "", value.lower())

"""Which language an article is in, so extraction only runs where it can work (English).

py3langid scores ~140 languages. An article counts as English unless English is clearly
ruled out: extraction reads English only, and a false "not English" silently loses every
event of an article, so short texts and unsure verdicts stay English. The code returned is
ISO 639-1; py3langid's few ISO 639-3 labels for language varieties are mapped to their
macrolanguage by ``data/language_codes.csv``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from app.ingest.knowledge import rows

if TYPE_CHECKING:  # loaded on first use (about a second)
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
LANGUAGE_SAMPLE_CHARS = 4000
MIN_LANGUAGE_WORDS = 12
MAX_ENGLISH_SHARE = 0.05  # "not English" needs P(English) below this


@lru_cache(maxsize=1)
def _language_identifier() -> LanguageIdentifier:
    """py3langid's model with normalised probabilities (loads in ~1 s, so once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, str]:
    return {row["label"]: row["iso639_1"] for row in rows("text/data/language_codes.csv")}


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``; "en" unless another language is clearly detected."""
    sample = " ".join(text[:LANGUAGE_SAMPLE_CHARS].split())
    if len(sample.split()) < MIN_LANGUAGE_WORDS:
        return ENGLISH
    ranked = _language_identifier().rank(sample)
    english = next((float(p) for label, p in ranked if label == ENGLISH), 0.0)
    top = str(ranked[0][0])
    if top == ENGLISH or english >= MAX_ENGLISH_SHARE or len(_iso_codes().get(top, top)) != 2:
        return ENGLISH
    return _iso_codes().get(top, top)

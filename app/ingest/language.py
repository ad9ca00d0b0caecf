"""Which language an article is in, so extraction only runs where it can work (English)."""

from __future__ import annotations

from functools import lru_cache

ENGLISH = "en"
LANGUAGE_SAMPLE_CHARS = 4000
MIN_LANGUAGE_WORDS = 12
MIN_LANGUAGE_CONFIDENCE = 0.95


@lru_cache(maxsize=1)
def _language_identifier():  # type: ignore[no-untyped-def]
    """py3langid's model with normalised probabilities (loads in ~1 s, so once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``; "en" unless another language is clearly detected.

    Extraction only works on English, and a false "not English" silently loses every
    event of an article, so short texts and unsure verdicts count as English.
    """
    sample = " ".join(text[:LANGUAGE_SAMPLE_CHARS].split())
    if len(sample.split()) < MIN_LANGUAGE_WORDS:
        return ENGLISH
    language, confidence = _language_identifier().classify(sample)
    if language != ENGLISH and confidence >= MIN_LANGUAGE_CONFIDENCE:
        return str(language)
    return ENGLISH

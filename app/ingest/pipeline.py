"""The extraction pipeline: raw article text in, an ``ArticleDraft`` out, nothing stored.

Junk and header spans are masked (replaced by line breaks of equal length) before spaCy
sees the text, so the analysis text and the stored text share every offset and no sentence
can straddle a caption or an ad marker.

This is the only module that wires the stages together (read -> segment -> places, actors,
dates, figures -> events). ``extract`` runs in the calling process (evaluation, tests,
benchmarks); ingestion (POST, ``frontwire ingest``) goes through ``worker_pool``, which runs
``stream_drafts`` in worker processes under the per-article time budget.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from app.ingest import nlp
from app.ingest.actors import find_actors
from app.ingest.actors import ruler_patterns as actor_patterns
from app.ingest.dates import find_dates
from app.ingest.events import find_events
from app.ingest.figures import find_figures
from app.ingest.places import find_places
from app.ingest.places import ruler_patterns as place_patterns
from app.ingest.text import clean
from app.ingest.text.doc_index import install
from app.ingest.text.doc_text import text_of
from app.ingest.text.read import read_article
from app.ingest.types import ArticleDraft, CleanText, FigureMention, Sentence
from app.ingestion import ArticleMeta

BATCH_SIZE = 16
WARM_UP_TEXT = ("Rebels shelled the town of Goma on Tuesday, killing at least 12 civilians, "
                "the army said.\nResidents fled to Kigali.")
_extraction_lock = threading.Lock()
RULER_PATTERNS = (place_patterns, actor_patterns)  # names the small model mis-tags


def get_nlp() -> Language:
    """The language model with the place and actor stages' ruler patterns (loaded once)."""
    return nlp.get_nlp(RULER_PATTERNS)


def warm_up() -> None:
    """Load the language model and every knowledge file once, before the first article.

    The first extraction builds the gazetteer and loads spaCy, which takes seconds; the
    extraction forkserver calls this once, so every worker it forks starts warm
    (``worker_pool``).
    """
    with _extraction_lock:
        get_nlp()
        _extract_unlocked(WARM_UP_TEXT, None)


def extract(raw: str, overrides: ArticleMeta | None = None) -> ArticleDraft:
    """Everything frontwire extracts from one article (thread-safe: one at a time)."""
    with _extraction_lock:
        return _extract_unlocked(raw, overrides)


def _extract_unlocked(raw: str, overrides: ArticleMeta | None) -> ArticleDraft:
    return next(extract_many([(raw, overrides)]))


def extract_many(
    articles: Iterable[tuple[str, ArticleMeta | None]], batch_size: int = BATCH_SIZE
) -> Iterator[ArticleDraft]:
    """Drafts for many articles, parsed in batches with ``nlp.pipe`` (much faster)."""
    cleaned = (read_article(raw, overrides) for raw, overrides in articles)
    pairs = ((clean.mask(c.text, list(c.skip)), c) for c in cleaned)
    model = get_nlp()
    for doc, article in model.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield draft_from_doc(article, doc)


def stream_drafts(articles: Sequence[CleanText],
                  batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, ArticleDraft | Exception]]:
    """(position, draft or the error it raised) for each article, as soon as it is done.

    The articles are parsed together with ``nlp.pipe``; if the parser itself fails, the
    articles it had not yet delivered are parsed one by one, so one bad article never takes
    the others' drafts with it. What a worker process runs (``worker_pool``).
    """
    model, done = get_nlp(), 0
    pairs = ((clean.mask(a.text, list(a.skip)), (k, a)) for k, a in enumerate(articles))
    try:
        for doc, (k, article) in model.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield k, _draft_or_error(article, doc)
            done = k + 1
    except Exception:  # noqa: BLE001 - the parser failed on the batch: isolate the article
        for k in range(done, len(articles)):
            yield k, _single(articles[k])


def _draft_or_error(article: CleanText, doc: Doc) -> ArticleDraft | Exception:
    try:
        return draft_from_doc(article, doc)
    except Exception as error:  # noqa: BLE001 - reported per article by the caller
        return error


def _single(article: CleanText) -> ArticleDraft | Exception:
    try:
        return draft_from_doc(article, get_nlp()(clean.mask(article.text, list(article.skip))))
    except Exception as error:  # noqa: BLE001 - reported per article by the caller
        return error


def draft_from_doc(article: CleanText, doc: Doc) -> ArticleDraft:
    """Run every extractor over a parsed, masked article and find its events.

    The header is masked except the headline and summary bullets, so extractors read the
    whole masked text; a headline figure the body repeats is then dropped (counted once).
    """
    install(doc)  # per-document indexes for sentences and the parse (see doc_index)
    sentences = segment(doc)
    figures = drop_repeated_headline_figures(
        find_figures(doc, skip=article.skip), article.body_start)
    events = find_events(
        doc,
        sentences,
        paragraph_of=paragraphs(text_of(doc), sentences),
        places=find_places(doc),
        dates=find_dates(text_of(doc), article.meta.published),
        actors=find_actors(doc),
        figures=figures,
        published=article.meta.published,
        headline_end=article.body_start,
    )
    kept = {id(f): f for event in events for f in event.figures}
    return ArticleDraft(clean=article, sentences=tuple(sentences), events=tuple(events),
                        figures=tuple(sorted(kept.values(), key=lambda f: f.span.start)))


def drop_repeated_headline_figures(figures: list[FigureMention],
                                   body_start: int) -> list[FigureMention]:
    """Figures before the body whose number the body states again are repeats.

    The headline rounds and drops bounds ("kills 12" over "killed at least 12"), so the
    central number decides, or the range when there is none.
    """
    def key(figure: FigureMention) -> tuple[float | None, ...]:
        return (figure.value,) if figure.value is not None else (figure.low, figure.high)

    in_body = {key(f) for f in figures if f.span.start >= body_start}
    return [f for f in figures if f.span.start >= body_start or key(f) not in in_body]


def segment(doc: Doc) -> list[Sentence]:
    """Non-blank sentences with offsets trimmed to their first and last visible character."""
    sentences: list[Sentence] = []
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped or not any(ch.isalnum() for ch in stripped):
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        lemmas = " ".join(token.lemma_.lower() for token in sent if not token.is_space)
        sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped, lemmas))
    return sentences


def paragraphs(text: str, sentences: list[Sentence]) -> dict[int, int]:
    """Sentence index -> paragraph number (paragraphs are separated by line breaks)."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    return {s.index: bisect.bisect_left(breaks, s.start) for s in sentences}

"""Small frozen records passed between the pipeline stages.

Every stage takes the cleaned article text (or a spaCy ``Doc`` over it) and returns
mentions that carry character offsets into that same text. Offsets are the contract that
lets every stored record point at the exact words it came from, so no stage may rewrite
the text it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.ingestion import ArticleMeta


@dataclass(frozen=True)
class Span:
    """A run of characters in the cleaned article text: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of the cleaned text, as spaCy segmented it."""

    index: int
    start: int
    end: int
    text: str
    lemmas: str = ""  # the sentence's lemmas, space-separated, lower case: for cue matching


@dataclass(frozen=True)
class CleanText:
    """The text that is stored and that all offsets point into.

    ``body_start`` is where the article body starts: metadata lines (title repeats,
    bylines, datelines) sit before it and are not mined for events.
    ``skip`` lists spans of scraping junk inside the body (ad markers, glued captions)
    that extractors must ignore; they stay in the text so offsets stay exact.
    """

    text: str
    meta: ArticleMeta
    body_start: int = 0
    skip: tuple[Span, ...] = ()


@dataclass(frozen=True)
class PlaceMention:
    """A place a sentence talks about, resolved against the gazetteer."""

    span: Span
    name: str
    kind: str  # country|admin1|settlement|facility|border_crossing|area
    country: str | None  # ISO 3166-1 alpha-2; None for seas and international areas
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None = None


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved against the published date.

    ``start``/``end`` are the first and last day covered; both None when the expression
    is relative and the article has no published date. ``precision`` is
    day|week|month|year|unknown, or ``reported`` for an event the article does not date: it
    happened on or shortly before publication ([published - 7 days, published]).
    """

    span: Span
    start: date | None
    end: date | None
    precision: str


@dataclass(frozen=True)
class ActorMention:
    """A collective actor or a person, under its canonical name."""

    span: Span
    name: str
    kind: str  # state|military_unit|armed_group|person|organization|media
    role: str = "other"  # initiator|target|claimant|other
    country: str | None = None


@dataclass(frozen=True)
class FigureMention:
    """A claimed number with what it counts, who claims it and how hedged it is."""

    span: Span
    value: float | None
    low: float | None
    high: float | None
    unit: str
    counts: str
    si_value: float | None = None
    si_unit: str | None = None
    claimant: str | None = None
    hedged: bool = False
    hedge: str | None = None
    # event: about this occurrence | cumulative: a war's or campaign's toll | breakdown: part
    # of a total already stated | context: population, distance, weapon specifications
    scope: str = "event"


@dataclass(frozen=True)
class EventDraft:
    """One reported occurrence as an analyst codes it, before it is stored.

    ``sentence`` is the main mention (the excerpt); ``mentions`` lists every sentence that
    reports the occurrence, the main one included (empty means just ``sentence``).
    ``actor1`` acted, ``actor2`` was acted upon (an actor named ``civilians``, kind
    ``civilians``, when unarmed people were targeted). ``fatalities`` is the deaths this
    occurrence caused by EVENTS.md's rule (the lowest figure a named source states).
    ``background`` marks an occurrence recalled from more than 30 days before publication.
    """

    sentence: Sentence
    type: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    place: PlaceMention | None
    date: DateMention | None
    actors: tuple[ActorMention, ...] = ()
    figures: tuple[FigureMention, ...] = ()
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    fatalities: int | None = None
    background: bool = False
    mentions: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class ArticleDraft:
    """Everything the pipeline extracted from one article, ready for the store."""

    clean: CleanText
    sentences: tuple[Sentence, ...]
    events: tuple[EventDraft, ...] = field(default_factory=tuple)
    figures: tuple[FigureMention, ...] = field(default_factory=tuple)

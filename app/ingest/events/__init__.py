"""The event stage: occurrences as an analyst codes them, not one record per sentence.

``find_events`` reads trigger words and phrases (``triggers``) into frames with their place,
date, figures and actors (``frames``), drops what reports no occurrence (``modality``), types
each frame (``refine``, ``taxonomy``), merges the frames of one occurrence (``merge``), and
closes the gate on articles that are not about political violence (``gate``). Each event then
takes its sides and fatalities from the parse (``sides``, ``fatalities``) and its date from its
own words or the published date (``when``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from app.ingest.events import gate, taxonomy
from app.ingest.events.fatalities import count_fatalities
from app.ingest.events.frames import Frame, Mentions, build_frames, by_sentence
from app.ingest.events.merge import Group, merge
from app.ingest.events.scope import find_scopes
from app.ingest.events.sides import find_sides
from app.ingest.events.when import is_background, reported
from app.ingest.types import (
    ActorMention,
    DateMention,
    EventDraft,
    FigureMention,
    PlaceMention,
    Sentence,
)

__all__ = ["find_events"]
SUBJECT_MENTIONS = 3


def find_events(
    doc: Doc,
    sentences: Sequence[Sentence],
    *,
    paragraph_of: dict[int, int],
    places: Sequence[PlaceMention],
    dates: Sequence[DateMention],
    actors: Sequence[ActorMention],
    figures: Sequence[FigureMention],
    published: date | None = None,
    headline_end: int = 0,
) -> list[EventDraft]:
    """The article's events in text order (empty for a non-conflict article)."""
    scoped = find_scopes(doc, figures)
    mentions = Mentions(by_sentence(sentences, places), by_sentence(sentences, dates),
                        by_sentence(sentences, actors), by_sentence(sentences, scoped))
    frames = build_frames(doc, sentences, mentions, paragraph_of=paragraph_of,
                          headline_end=headline_end, published=published)
    if not gate.is_open(frames, sentences, actors=actors, dates=dates, published=published):
        return []
    first_body = next((s.index for s in sentences if s.start >= headline_end), 0)
    events = [_event(group, published, first_body) for group in merge(frames, published)]
    return _with_orphans(events, sentences, mentions)


def _with_orphans(events: list[EventDraft], sentences: Sequence[Sentence],
                  mentions: Mentions) -> list[EventDraft]:
    """Figures and actors of sentences that report no event (statements, tolls, context)
    join the nearest earlier event (else the first), so the article keeps every claim: the
    store persists figures and actors through events. Their ``scope`` says what they count;
    fatalities were computed from the event's own mentions before this."""
    if not events:
        return events
    owner: dict[int, int] = {}
    for k, event in enumerate(events):
        for mention in event.mentions:
            owner.setdefault(mention.index, k)
    extra: dict[int, tuple[list[FigureMention], list[ActorMention]]] = {}
    current = 0
    for sentence in sentences:
        if sentence.index in owner:
            current = owner[sentence.index]
            continue
        figures, actors = mentions.figures(sentence.index), mentions.actors(sentence.index)
        if figures or actors:
            bucket = extra.setdefault(current, ([], []))
            bucket[0].extend(figures)
            bucket[1].extend(actors)
    return [replace(e, figures=tuple({id(f): f for f in (*e.figures, *extra[k][0])}.values()),
                    actors=tuple(_unique_actors([*e.actors, *extra[k][1]])))
            if k in extra else e for k, e in enumerate(events)]


def _informative(frame: Frame) -> int:
    return (2 * (frame.place is not None and not frame.carried) + (frame.date is not None)
            + frame.killed + bool(frame.actors))


def _event(group: Group, published: date | None, first_body: int) -> EventDraft:
    frames = group.frames
    main = max(frames, key=lambda f: (f.place is group.place and not f.carried, _informative(f),
                                      -f.sentence.index))
    kind = taxonomy.by_name(group.type)
    sentences = list({f.sentence.index: f.sentence for f in frames}.values())
    spans = list({f.sentence.index: f.span for f in frames}.values())
    figures = list({id(x): x for f in _per_sentence(frames) for x in f.figures}.values())
    actors = _unique_actors([a for f in _per_sentence(frames) for a in f.actors])
    when = group.date or reported(main.sentence, published)
    actor1, actor2 = find_sides(main.trigger.token, main.actors, event_type=kind.acled_event_type,
                                country_hint=group.place.country if group.place else None)
    deaths = count_fatalities([f for f in figures if f.scope == "event"], spans)
    return EventDraft(
        sentence=main.sentence, type=kind.name, acled_event_type=kind.acled_event_type,
        acled_sub_event_type=kind.acled_sub_event_type, place=group.place, date=when,
        actors=tuple(actors), figures=tuple(figures), actor1=actor1, actor2=actor2,
        fatalities=deaths,
        background=is_background(when, published) and not _subject(group, first_body),
        mentions=tuple(sentences))


def _subject(group: Group, first_body: int) -> bool:
    """The article's subject, not a recalled background: told in the headline or the first
    sentence of the body, or again and again (EVENTS-NOTES: a massacre 42 days old that the
    article is about)."""
    return any(f.sentence.index <= first_body for f in group.frames) or \
        len({f.sentence.index for f in group.frames}) >= SUBJECT_MENTIONS


def _per_sentence(frames: Sequence[Frame]) -> list[Frame]:
    """One frame per sentence (a sentence's frames share its figures and actors)."""
    return list({f.sentence.index: f for f in frames}.values())


def _unique_actors(actors: Sequence[ActorMention]) -> list[ActorMention]:
    """One mention per (actor, kind, role): the store keys event actors that way."""
    return list({(a.name, a.kind, a.role): a for a in actors}.values())

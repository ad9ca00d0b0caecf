"""Turn per-sentence mentions into events.

An event is one reported occurrence anchored in one sentence. A sentence yields an event
when it names a conflict happening (a taxonomy cue), states a figure, or dates something;
a sentence with several date expressions ("In March ..., and in May last year ...") yields
one event per date, because each date marks a separate occurrence. Places carry over from
earlier sentences of the same paragraph, since reporters name a place once and then write
"the town" or nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.ingest import taxonomy
from app.ingest.types import (
    ActorMention,
    DateMention,
    EventDraft,
    FigureMention,
    PlaceMention,
    Sentence,
)

PLACE_SPECIFICITY = {"facility": 5, "border_crossing": 5, "settlement": 4, "area": 3,
                     "admin1": 2, "country": 1}
MIN_CONFLICT_SENTENCES = 2


def is_conflict_article(sentences: Sequence[Sentence]) -> bool:
    """Enough sentences use conflict vocabulary: a sports or business story yields nothing."""
    pattern = taxonomy.conflict_cue_pattern()
    hits = sum(1 for s in sentences if pattern.search(s.text.lower()))
    return hits >= MIN_CONFLICT_SENTENCES


def assemble(
    sentences: Sequence[Sentence],
    *,
    paragraph_of: dict[int, int],
    places: Sequence[PlaceMention],
    dates: Sequence[DateMention],
    actors: Sequence[ActorMention],
    figures: Sequence[FigureMention],
) -> list[EventDraft]:
    """Events for every sentence that reports something, in text order."""
    if not is_conflict_article(sentences):
        return []
    events: list[EventDraft] = []
    carried: tuple[int, PlaceMention] | None = None
    for sentence in sentences:
        inside = _within(sentence)
        sentence_places = [p for p in places if inside(p.span.start)]
        place = most_specific(sentence_places)
        paragraph = paragraph_of[sentence.index]
        if place is not None:
            carried = (paragraph, place)
        elif carried is not None and carried[0] == paragraph:
            place = carried[1]
        events.extend(_events_for(sentence, place,
                                  [d for d in dates if inside(d.span.start)],
                                  [a for a in actors if inside(a.span.start)],
                                  [f for f in figures if inside(f.span.start)]))
    return events


def _within(sentence: Sentence):  # type: ignore[no-untyped-def]
    return lambda offset: sentence.start <= offset < sentence.end


def _events_for(
    sentence: Sentence,
    place: PlaceMention | None,
    dates: list[DateMention],
    actors: list[ActorMention],
    figures: list[FigureMention],
) -> list[EventDraft]:
    """Zero, one, or one-per-date events for one sentence."""
    event_type = taxonomy.classify(sentence.text)
    if event_type is None and not figures and not dates:
        return []
    event_type = event_type or taxonomy.by_name("other")
    drafts = []
    for position, when in enumerate(dates or [None]):
        drafts.append(EventDraft(
            sentence=sentence,
            type=event_type.name,
            acled_event_type=event_type.acled_event_type,
            acled_sub_event_type=event_type.acled_sub_event_type,
            place=place,
            date=when,
            actors=tuple(_unique_actors(actors)),
            figures=tuple(figures) if position == 0 else (),
        ))
    return drafts


def most_specific(places: Sequence[PlaceMention]) -> PlaceMention | None:
    """The most precise place named in a sentence (a town beats its region or country)."""
    if not places:
        return None
    return max(places, key=lambda p: (PLACE_SPECIFICITY.get(p.kind, 0), -p.span.start))


def _unique_actors(actors: Sequence[ActorMention]) -> list[ActorMention]:
    """One mention per (actor, role): the store keys event actors that way."""
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for actor in actors:
        key = (actor.name, actor.kind, actor.role)
        if key not in seen:
            seen.add(key)
            unique.append(actor)
    return unique

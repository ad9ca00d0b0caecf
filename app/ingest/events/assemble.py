"""Turn per-sentence mentions into events.

An event is one reported occurrence anchored in one sentence. A sentence yields an event
when it names a conflict happening (a taxonomy cue), states a figure, dates something, or
names an actor;
a sentence with several date expressions ("In March ..., and in May last year ...") yields
one event per date, because each date marks a separate occurrence. Places carry over from
earlier sentences of the same paragraph, since reporters name a place once and then write
"the town" or nothing at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from app.ingest.events import taxonomy
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
ARMED_KINDS = {"armed_group", "military_unit"}


def is_conflict_article(sentences: Sequence[Sentence],
                        actors: Sequence[ActorMention] = ()) -> bool:
    """Reporting on armed conflict, not a price war or a title fight.

    Two distinct strong cues (kill, troops, missile), or one with two weak ones (war,
    offensive, front line); a named armed group or unit counts as a strong cue.
    """
    strong = _cues(sentences, taxonomy.conflict_cue_pattern("strong"))
    strong |= {a.name for a in actors if a.kind in ARMED_KINDS}
    weak = _cues(sentences, taxonomy.conflict_cue_pattern("weak"))
    return len(strong) >= 2 or (len(strong) == 1 and len(weak) >= 2)


HISTORY_YEARS = 20


def is_historical(dates: Sequence[DateMention], published: date | None) -> bool:
    """Every dated happening lies decades before publication: a history or a book review.

    A news story dates at least one happening near its publication; background years
    ("the 2006 war") sit beside recent dates, so one recent date keeps the article.
    """
    ends = [d.end for d in dates if d.end is not None]
    if not ends or published is None:
        return False
    return all((published - end).days > HISTORY_YEARS * 365 for end in ends)


def _cues(sentences: Sequence[Sentence], pattern: re.Pattern[str]) -> set[str]:
    return {m.group(0) for s in sentences for m in pattern.finditer(f"{s.text.lower()} {s.lemmas}")}


def assemble(
    sentences: Sequence[Sentence],
    *,
    paragraph_of: dict[int, int],
    places: Sequence[PlaceMention],
    dates: Sequence[DateMention],
    actors: Sequence[ActorMention],
    figures: Sequence[FigureMention],
    published: date | None = None,
) -> list[EventDraft]:
    """Events for every sentence that reports something, in text order."""
    if not is_conflict_article(sentences, actors) or is_historical(dates, published):
        return []
    events: list[EventDraft] = []
    carried: tuple[int, list[PlaceMention]] | None = None
    where_of, when_of, who_of, figures_of = (
        _by_sentence(sentences, places), _by_sentence(sentences, dates),
        _by_sentence(sentences, actors), _by_sentence(sentences, figures))
    for sentence in sentences:
        where = distinct_places(where_of(sentence.index))
        paragraph = paragraph_of[sentence.index]
        if where:
            carried = (paragraph, where[:1])
        elif carried is not None and carried[0] == paragraph:
            where = carried[1]
        events.extend(_events_for(sentence, where, when_of(sentence.index),
                                  who_of(sentence.index), figures_of(sentence.index)))
    return events


_M = TypeVar("_M", PlaceMention, DateMention, ActorMention, FigureMention)


def _by_sentence(sentences: Sequence[Sentence],
                 mentions: Sequence[_M]) -> Callable[[int], list[_M]]:
    """Sentence index -> the mentions starting inside it, in their order: one bisection per
    mention instead of a pass over every mention for every sentence."""
    starts = [s.start for s in sentences]
    found: dict[int, list[_M]] = {}
    for mention in mentions:
        k = bisect.bisect_right(starts, mention.span.start) - 1
        if k >= 0 and mention.span.start < sentences[k].end:
            found.setdefault(sentences[k].index, []).append(mention)
    return lambda index: found.get(index, [])


def _events_for(
    sentence: Sentence,
    places: list[PlaceMention],
    dates: list[DateMention],
    actors: list[ActorMention],
    figures: list[FigureMention],
) -> list[EventDraft]:
    """The events of one sentence: one per date at its main place, one per further place.

    ACLED codes one event per location and day; a sentence such as "fighters attacked
    villages in the Belgorod and Kursk regions" is two events. Figures stay with the first.
    """
    event_type = taxonomy.classify(sentence.text, sentence.lemmas)
    if event_type is None and not figures and not dates and not actors:
        return []
    event_type = event_type or taxonomy.by_name("other")
    main = places[0] if places else None
    whens: Sequence[DateMention | None] = dates or [None]
    pairs = [(main, when) for when in whens]
    pairs += [(place, dates[0] if dates else None) for place in places[1:]]
    people = tuple(_unique_actors(actors))
    return [
        EventDraft(sentence=sentence, type=event_type.name,
                   acled_event_type=event_type.acled_event_type,
                   acled_sub_event_type=event_type.acled_sub_event_type,
                   place=place, date=when, actors=people,
                   figures=tuple(figures) if position == 0 else ())
        for position, (place, when) in enumerate(pairs)
    ]


def distinct_places(places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The sentence's places, most specific first, without countries named around them.

    "Sudzha, Russia" is one location: the country only says where Sudzha is. Regions stay
    even beside a town inside them, because reporters name a region as a scene of its own
    ("entered the Graivoron district of the Belgorod region").
    """
    unique = {(p.name, p.kind, p.country): p for p in places}.values()
    ranked = sorted(unique, key=lambda p: (-PLACE_SPECIFICITY.get(p.kind, 0), p.span.start))
    kept: list[PlaceMention] = []
    for place in ranked:
        if not any(_contains(place, inner) for inner in kept):
            kept.append(place)
    return kept


def _contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    if outer.kind == "country":
        return inner.country == outer.country
    return False


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

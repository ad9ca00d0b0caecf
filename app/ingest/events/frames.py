"""Event frames: one per trigger that reports an occurrence, with what its sentence says.

A frame holds the trigger, its refined type, its place (the trigger's clause first; else the
place carried from an earlier sentence of the paragraph or from the headline: reporters name
a place once and then write "the town"), its own date if the sentence dates it, and the
sentence's figures and actors. Frames are merged into events afterwards (``merge``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from app.ingest.events import modality, refine, taxonomy
from app.ingest.events.context import sentence_context
from app.ingest.events.triggers import Trigger, find_triggers
from app.ingest.events.when import own_date, usable_dates
from app.ingest.events.where import Sorted, TokenIndex, choose_places
from app.ingest.types import ActorMention, DateMention, FigureMention, PlaceMention, Sentence

ARMED_KINDS = frozenset({"armed_group", "military_unit"})
WEAK_TYPES = frozenset({"attack", "shelling", "air_strike"})  # the defaults of generic words


@dataclass
class Frame:
    """One trigger's reading of its sentence."""

    sentence: Sentence
    span: SpacySpan
    trigger: Trigger
    type: str
    place: PlaceMention | None
    carried: bool  # the place came from an earlier sentence, not this one
    date: DateMention | None  # the sentence's own date for the trigger; None: undated
    figures: tuple[FigureMention, ...] = ()  # the sentence's (one tuple shared by its frames)
    actors: tuple[ActorMention, ...] = ()
    reference: bool = False  # refers to an occurrence ("condemned the attack"), never starts one
    paragraph: int = 0
    hold: int = 0  # how closely the trigger holds its place (see ``where.choose_places``)
    weak: bool = False  # a generic trigger no weapon refined ("hit", "attack"): others decide
    civilians: bool = False  # its victims are named as unarmed people
    separate: bool = False  # "in a separate attack": never joins an earlier event
    initiators: frozenset[str] = frozenset()  # the sentence's initiator actors (shared)
    killed: bool = False  # the sentence states a killed figure


@dataclass(frozen=True)
class Mentions:
    """The article's mentions, looked up by sentence."""

    places: Callable[[int], list[PlaceMention]]
    dates: Callable[[int], list[DateMention]]
    actors: Callable[[int], list[ActorMention]]
    figures: Callable[[int], list[FigureMention]]


_M = TypeVar("_M", PlaceMention, DateMention, ActorMention, FigureMention)


def by_sentence(sentences: Sequence[Sentence], mentions: Sequence[_M]) -> Callable[[int], list[_M]]:
    """Sentence index -> the mentions starting inside it: one bisection per mention."""
    starts = [s.start for s in sentences]
    found: dict[int, list[_M]] = {}
    for mention in mentions:
        k = bisect.bisect_right(starts, mention.span.start) - 1
        if k >= 0 and mention.span.start < sentences[k].end:
            found.setdefault(sentences[k].index, []).append(mention)
    return lambda index: found.get(index, [])


def build_frames(doc: Doc, sentences: Sequence[Sentence], mentions: Mentions, *,
                 paragraph_of: dict[int, int], headline_end: int,
                 published: date | None) -> list[Frame]:
    """Every frame of the article in text order."""
    index = TokenIndex(doc)
    frames: list[Frame] = []
    carried: tuple[int, PlaceMention] | None = None
    headline_place: PlaceMention | None = None
    for sentence in sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        paragraph = paragraph_of.get(sentence.index, 0)
        listed = mentions.places(sentence.index + 1) if sentence.text.endswith(":") else []
        found = _sentence_frames(span, sentence, mentions, index, listed, published)
        for frame in found:
            frame.paragraph = paragraph
            if frame.place is None:
                if carried is not None and carried[0] == paragraph:
                    frame.place, frame.carried = carried[1], True
                elif headline_place is not None:
                    frame.place, frame.carried = headline_place, True
        places = mentions.places(sentence.index)
        own = next((f.place for f in found if f.place is not None and not f.carried), None)
        if own is not None or places:
            carried = (paragraph, own or places[0])
        if sentence.end <= headline_end and headline_place is None and own is not None:
            headline_place = own
        frames.extend(found)
    return frames


def _sentence_frames(span: SpacySpan, sentence: Sentence, mentions: Mentions,
                     index: TokenIndex, listed: Sequence[PlaceMention],
                     published: date | None) -> list[Frame]:
    actors = tuple(mentions.actors(sentence.index))
    figures = tuple(mentions.figures(sentence.index))
    initiators = frozenset(a.name for a in actors if a.role == "initiator")
    initiator = next((a for a in actors if a.role == "initiator"), None)
    armed_init = any(a.role == "initiator" and a.kind == "armed_group" for a in actors)
    killed = any(f.counts in ("killed", "civilians_killed") for f in figures)
    places = mentions.places(sentence.index)
    armed_actor = any(a.kind in ARMED_KINDS for a in actors)
    place_tokens = {index.token_at(p.span.start).i for p in places}
    ctx = sentence_context(span)
    sorted_places = Sorted(places)
    usable = usable_dates(mentions.dates(sentence.index), published)
    civilian = refine.civilian_figures({f.counts for f in figures})
    out: list[Frame] = []
    for trigger in find_triggers(span, place_tokens, has_armed_actor=armed_actor):
        verdict = modality.verdict(trigger, ctx, armed_actor=armed_actor)
        if verdict is None:
            continue
        split = taxonomy.by_name(trigger.row.type).family == "remote"
        chosen, hold = choose_places(trigger.token, sorted_places, index, split=split,
                                     listed=listed,
                                     colon=ctx.colon_after(trigger.token.i))
        options: list[PlaceMention | None] = list(chosen) or [None]
        for place in options:
            kind = refine.refine(trigger, ctx, initiator=initiator, armed_initiator=armed_init,
                                 place=place, figures_civilian=civilian)
            out.append(Frame(sentence, span, trigger, kind, place, False,
                             own_date(trigger.token, usable, index),
                             figures, actors, verdict == modality.REFERS,
                             hold=hold, weak=trigger.row.refine and kind == trigger.row.type
                             and kind in WEAK_TYPES,
                             civilians=trigger.row.type == "attack" and kind == "attack"
                             and refine.named_civilians(trigger), separate=ctx.separate,
                             initiators=initiators, killed=killed))
    return _release_borrowed(out)


def _release_borrowed(frames: list[Frame]) -> list[Frame]:
    """A place a frame only finds elsewhere in its sentence, while another frame holds it in
    its own clause, is that frame's: "Israel strikes Lebanon after a rocket kills 12 in X"."""
    held = {(f.place.name, f.place.country) for f in frames if f.place and f.hold >= 2}
    for frame in frames:
        if frame.place is not None and frame.hold == 1 and \
                (frame.place.name, frame.place.country) in held:
            frame.place = None
    return frames

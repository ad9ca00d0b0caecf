"""Within-article merging: the frames that report one occurrence become one event.

Two frames report the same occurrence when their types are compatible (same family, or a
generic killing beside a specific attack), their places are compatible (the same, one inside
the other, or one missing), their dates overlap and their initiators do not contradict each
other. A frame joins the latest compatible event among the last ``WINDOW`` events of its
family group, so a long article costs a bounded number of comparisons per frame, not a pass
over every earlier frame. References ("condemned the attack") join an event, never start one.
Within one sentence, arrests and looting told with a protest or an attack are part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Token

from app.ingest.events import taxonomy
from app.ingest.events.frames import Frame
from app.ingest.events.when import is_background, more_precise, overlap
from app.ingest.events.where import SPECIFICITY, contains, distance_km
from app.ingest.types import DateMention, PlaceMention

WINDOW = 6
SAME_SITE_KM = 5.0  # a camp and the town beside it, a district and its city: one site
ABSORBED = {"arrest": {"protest"}, "looting": {"protest", "battle", "remote", "violence"},
            "deployment": {"battle", "remote", "violence", "protest"},
            "change": {"battle"}}


@dataclass
class Group:
    """An event being built: its frames in text order, and what the merge rules ask of them
    kept up to date as frames join (so a check costs the same for a group of any size)."""

    frames: list[Frame] = field(default_factory=list)
    type: str = ""
    place: PlaceMention | None = None
    place_carried: bool = True
    date: DateMention | None = None
    strong: str = ""  # the best type among frames a weapon or the word itself made specific
    weakest: str = ""  # the best type among all frames
    civilians: bool = False
    initiators: set[str] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)
    remote_types: dict[int, set[str]] = field(default_factory=dict)  # sentence -> specific types
    split_from: dict[int, set[int]] = field(default_factory=dict)  # trigger start -> place ids

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        self.weakest = taxonomy.best(self.weakest, frame.type) if self.weakest else frame.type
        if not frame.weak:
            self.strong = taxonomy.best(self.strong, frame.type) if self.strong else frame.type
        self.civilians |= frame.civilians
        kind = self.strong or self.weakest
        if taxonomy.by_name(kind).family == "battle" and self.civilians:
            kind = taxonomy.GENERIC  # "bandits killed two traders in an ambush": civilians
        self.type = kind
        if frame.sentence.index not in self.sentences:
            self.sentences.add(frame.sentence.index)
            self.initiators |= frame.initiators
        if _specific_remote(frame):
            self.remote_types.setdefault(frame.sentence.index, set()).add(frame.type)
        self.split_from.setdefault(frame.trigger.start, set()).add(id(frame.place))
        if frame.place is not None and (self.place is None or self.place_carried
                                        or _more_specific(frame.place, self.place)) \
                and not (frame.carried and not self.place_carried):
            self.place, self.place_carried = frame.place, frame.carried
        self.date = more_precise(self.date, frame.date)


def _specific_remote(frame: Frame) -> bool:
    return (taxonomy.by_name(frame.type).family == "remote" and not frame.weak
            and frame.type not in (taxonomy.GENERIC, "chemical_weapon"))


def group_key(kind: str) -> str:
    family = taxonomy.by_name(kind).family
    return "violent" if family in taxonomy.VIOLENT_FAMILIES else family


def _more_specific(a: PlaceMention, b: PlaceMention) -> bool:
    return SPECIFICITY.get(a.kind, 0) > SPECIFICITY.get(b.kind, 0)


def places_compatible(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return True
    if (a.name, a.country) == (b.name, b.country):
        return True
    km = distance_km(a, b)
    return contains(a, b) or contains(b, a) or (km is not None and km <= SAME_SITE_KM)


def _rivals(group: Group, frame: Frame) -> bool:
    """Two specific remote types in one sentence are two occurrences ("warplanes hit X after
    a rocket slammed into Y"); across sentences a strike refined differently may be one."""
    if not _specific_remote(frame):
        return False
    return bool(group.remote_types.get(frame.sentence.index, set()) - {frame.type})


def _siblings(group: Group, frame: Frame) -> bool:
    """Frames split from one trigger over a list of places are separate events."""
    places = group.split_from.get(frame.trigger.start)
    return places is not None and places != {id(frame.place)}


def _same_place(group: Group, frame: Frame) -> bool:
    """The frame names (or carries) exactly the group's place, or one of them has none."""
    if group.place is None or frame.place is None:
        return True
    return (group.place.name, group.place.country) == (frame.place.name, frame.place.country)


def _old_date(group: Group, frame: Frame, published: date | None) -> bool:
    """One side dated long before publication, the other undated: a recalled event ("the
    7 October attack") is not the undated strike the article reports."""
    dated = frame.date if group.date is None else group.date if frame.date is None else None
    return is_background(dated, published)


def compatible(group: Group, frame: Frame, published: date | None = None) -> bool:
    if not taxonomy.compatible(group.type, frame.type) or _rivals(group, frame) or \
            _siblings(group, frame) or _old_date(group, frame, published):
        return False
    if frame.separate and group.frames[-1].sentence.index != frame.sentence.index:
        return False
    if not places_compatible(group.place, frame.place) or not overlap(group.date, frame.date):
        return False
    theirs = frame.initiators
    return not (group.initiators and theirs and not group.initiators & theirs)


def _absorbed(frame: Frame, same_sentence: Sequence[Group]) -> Group | None:
    """The group of this sentence that a side-activity frame (arrests at a protest, looting
    during an attack) belongs to."""
    if frame.trigger.row.type == taxonomy.GENERIC:  # "police fired tear gas at protesters"
        protest = next((g for g in same_sentence
                        if taxonomy.by_name(g.type).family == "protest"), None)
        if protest is not None:
            return protest
    families = ABSORBED.get(taxonomy.by_name(frame.type).family, set())
    return next((g for g in same_sentence
                 if taxonomy.by_name(g.type).family in families), None)


@dataclass
class SentenceTriggers:
    """The triggers of the current sentence already placed, by token and by head."""

    index: int = -1
    tokens: dict[int, Group] = field(default_factory=dict)
    heads: dict[int, Group] = field(default_factory=dict)  # head index -> a trigger's group
    grand: dict[int, Group] = field(default_factory=dict)  # through a preposition

    def add(self, frame: Frame, group: Group) -> None:
        token = frame.trigger.token
        self.tokens[token.i] = group
        self.heads[token.head.i] = group
        if token.head.dep_ in ("prep", "agent"):
            self.grand[token.head.head.i] = group


def _linked(frame: Frame, seen: SentenceTriggers) -> Group | None:
    """A generic killing tied in the parse to another trigger of its sentence belongs to that
    trigger's event: "a strike that killed four", "a rocket slammed into X, killing 12".
    The closest tie wins: the other trigger hangs on this one, then one is the other's head
    (through a preposition too), then they share a head."""
    if frame.trigger.row.type != taxonomy.GENERIC:
        return None
    token = frame.trigger.token
    found = seen.heads.get(token.i) or next(
        (seen.tokens[u.i] for u in _up(token) if u.i in seen.tokens), None) or \
        seen.grand.get(token.i)
    if found is not None:
        return found
    return seen.heads.get(token.head.i) if token.head.i != token.i else None


def _up(token: Token) -> tuple[Token, ...]:
    """The token's head and, through a preposition, its head's head ("killed in a strike")."""
    head = token.head
    return (head, head.head) if head.dep_ in ("prep", "agent") else (head,)


def merge(frames: Sequence[Frame], published: date | None = None) -> list[Group]:
    """The events of the article, in the order of their first frame."""
    groups: list[Group] = []
    recent: dict[str, list[Group]] = {}
    # within a sentence, specific triggers first: a generic killing then finds their events
    ordered = sorted(frames, key=lambda f: (f.sentence.index,
                                            f.trigger.row.type == taxonomy.GENERIC))
    seen = SentenceTriggers()
    for frame in ordered:
        if frame.sentence.index != seen.index:
            seen = SentenceTriggers(frame.sentence.index)
        here = [g for g in groups[-WINDOW:] if g.frames[-1].sentence.index == frame.sentence.index]
        candidates = [g for g in reversed(recent.get(group_key(frame.type), [])[-WINDOW:])
                      if compatible(g, frame, published)]
        candidates.sort(key=lambda g: not _same_place(g, frame))  # stable: recency kept
        target = _absorbed(frame, here) or _linked(frame, seen) or next(
            (g for g in candidates if g.type == frame.type and _same_place(g, frame)), None) \
            or next(iter(candidates), None)
        if target is None and frame.reference:
            continue
        if target is None:
            target = Group()
            groups.append(target)
            recent.setdefault(group_key(frame.type), []).append(target)
        target.add(frame)
        seen.add(frame, target)
    return groups

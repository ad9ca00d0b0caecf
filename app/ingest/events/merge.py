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

from app.ingest.events import taxonomy
from app.ingest.events.frames import Frame
from app.ingest.events.when import is_background, more_precise, overlap
from app.ingest.events.where import SPECIFICITY, contains, distance_km
from app.ingest.types import DateMention, PlaceMention

WINDOW = 6
SEPARATE = frozenset({"separate", "another"})
SAME_SITE_KM = 5.0  # a camp and the town beside it, a district and its city: one site
ABSORBED = {"arrest": {"protest"}, "looting": {"protest", "battle", "remote", "violence"},
            "deployment": {"battle", "remote", "violence", "protest"},
            "change": {"battle"}}


@dataclass
class Group:
    """An event being built: its frames in text order."""

    frames: list[Frame] = field(default_factory=list)
    type: str = ""
    place: PlaceMention | None = None
    place_carried: bool = True
    date: DateMention | None = None

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        strong = [f.type for f in self.frames if not f.weak] or [f.type for f in self.frames]
        kind = strong[0]
        for other in strong[1:]:
            kind = taxonomy.best(kind, other)
        if taxonomy.by_name(kind).family == "battle" and any(f.civilians for f in self.frames):
            kind = taxonomy.GENERIC  # "bandits killed two traders in an ambush": civilians
        self.type = kind
        if frame.place is not None and (self.place is None or self.place_carried
                                        or _more_specific(frame.place, self.place)) \
                and not (frame.carried and not self.place_carried):
            self.place, self.place_carried = frame.place, frame.carried
        self.date = more_precise(self.date, frame.date)


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


def _initiators(frames: Sequence[Frame]) -> set[str]:
    return {a.name for f in frames for a in f.actors if a.role == "initiator"}


def _rivals(group: Group, frame: Frame) -> bool:
    """Two specific remote types in one sentence are two occurrences ("warplanes hit X after
    a rocket slammed into Y"); across sentences a strike refined differently may be one."""
    if taxonomy.by_name(frame.type).family != "remote" or frame.weak or \
            frame.type == "chemical_weapon":
        return False
    return any(f.sentence.index == frame.sentence.index and f.type != frame.type and not f.weak
               and taxonomy.GENERIC not in (f.type, frame.type)
               and taxonomy.by_name(f.type).family == "remote" for f in group.frames)


def _siblings(group: Group, frame: Frame) -> bool:
    """Frames split from one trigger over a list of places are separate events."""
    return any(f.trigger.start == frame.trigger.start and f.place is not frame.place
               for f in group.frames)


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


def _separate(frame: Frame) -> bool:
    """"In a separate attack", "another strike": the writer says it is a new occurrence."""
    return any(t.lower_ in SEPARATE for t in frame.span)


def compatible(group: Group, frame: Frame, published: date | None = None) -> bool:
    if not taxonomy.compatible(group.type, frame.type) or _rivals(group, frame) or \
            _siblings(group, frame) or _old_date(group, frame, published):
        return False
    if _separate(frame) and all(f.sentence.index != frame.sentence.index for f in group.frames):
        return False
    if not places_compatible(group.place, frame.place) or not overlap(group.date, frame.date):
        return False
    mine, theirs = _initiators(group.frames), _initiators([frame])
    return not (mine and theirs and not mine & theirs)


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


def _linked(frame: Frame, same_sentence: Sequence[Group]) -> Group | None:
    """A generic killing tied in the parse to another trigger of its sentence belongs to that
    trigger's event: "a strike that killed four", "a rocket slammed into X, killing 12"."""
    if frame.trigger.row.type != taxonomy.GENERIC:
        return None
    token = frame.trigger.token
    ranked: list[tuple[int, int, Group]] = []
    for n, group in enumerate(same_sentence):
        for other in group.frames:
            o = other.trigger.token
            if o == token:
                continue
            strength = 3 if o.head == token else 2 if o in _up(token) or token in _up(o) \
                else 1 if token.head == o.head else 0
            if strength:
                ranked.append((strength, n, group))
    return max(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


def _up(token):  # type: ignore[no-untyped-def]
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
    for frame in ordered:
        here = [g for g in groups[-WINDOW:] if g.frames[-1].sentence.index == frame.sentence.index]
        candidates = [g for g in reversed(recent.get(group_key(frame.type), [])[-WINDOW:])
                      if compatible(g, frame, published)]
        candidates.sort(key=lambda g: not _same_place(g, frame))  # stable: recency kept
        target = _absorbed(frame, here) or _linked(frame, here) or next(
            (g for g in candidates if g.type == frame.type and _same_place(g, frame)), None) \
            or next(iter(candidates), None)
        if target is None and frame.reference:
            continue
        if target is None:
            target = Group()
            groups.append(target)
            recent.setdefault(group_key(frame.type), []).append(target)
        target.add(frame)
    return groups

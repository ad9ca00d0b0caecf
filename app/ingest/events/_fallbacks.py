"""Stand-ins for helper B's sides, fatalities and scope modules until they are merged.

Delete this module once ``events/sides.py``, ``events/fatalities.py`` and ``events/scope.py``
exist: ``app.ingest.events`` imports them first.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from app.ingest.types import ActorMention, FigureMention

KILLED = {"killed", "civilians_killed"}


def find_sides(trigger: Token, actors: Sequence[ActorMention], *, event_type: str,
               country_hint: str | None) -> tuple[ActorMention | None, ActorMention | None]:
    """actor1: the first initiator in the sentence; actor2: the first target."""
    first = next((a for a in actors if a.role == "initiator"), None)
    second = next((a for a in actors if a.role == "target" and a is not first), None)
    return first, second


def count_fatalities(figures: Sequence[FigureMention],
                     sentences: Sequence[SpacySpan]) -> int | None:
    """The largest killed figure of the event (B's module applies EVENTS.md's rule)."""
    values = [f.value for f in figures if f.counts in KILLED and f.value is not None]
    return int(max(values)) if values else None


def find_scopes(doc: Doc, figures: Sequence[FigureMention]) -> list[FigureMention]:
    """Every figure kept at the default scope, ``event``."""
    return list(figures)

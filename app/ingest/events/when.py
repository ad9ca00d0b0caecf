"""When a frame's occurrence happened.

Its own date expression in its clause or sentence first (the one nearest the trigger, those
in the trigger's clause before the rest); else, for an article with a published date, the
``reported`` period [published - 7 days, published]: reporters leave undated what happened
on the day or just before. With no published date the event stays undated (unknown).
``background`` marks an occurrence that ended more than 30 days before publication.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from spacy.tokens import Token

from app.ingest.events.where import Sorted, TokenIndex, clause_of, governs, near
from app.ingest.types import DateMention, Sentence, Span

REPORTED_DAYS = 7
BACKGROUND_DAYS = 30


def usable_dates(dates: Sequence[DateMention], published: date | None) -> Sorted[DateMention]:
    """The sentence's resolved dates, without those after publication (a relative phrase
    misread: "six weeks after the attack")."""
    return Sorted([d for d in dates
                   if d.start is not None and (published is None or d.start <= published)])


def own_date(trigger: Token, usable: Sorted[DateMention], index: TokenIndex
             ) -> DateMention | None:
    """The date expression of the trigger's own clause among the sentence's ``usable_dates``."""
    clause = clause_of(trigger)
    governed = [d for d in near(usable, trigger.idx)
                if _governed(index.root_at(d.span.start, d.span.end), trigger, clause)]
    if not governed and clause.dep_ == "ccomp":  # "said on Monday that they had captured X"
        speech = clause.head
        governed = [d for d in near(usable, trigger.idx)
                    if _governed(index.root_at(d.span.start, d.span.end), speech, speech)
                    and not _governed(index.root_at(d.span.start, d.span.end), clause, clause)]
    if not governed and len(usable.items) == 1 and not _attributive(index, usable.items[0]):
        return usable.items[0]  # the sentence's only date: a parse that lost its attachment
    return min(governed, key=lambda d: abs(d.span.start - trigger.idx), default=None)


def _attributive(index: TokenIndex, when: DateMention) -> bool:
    """"the 7 October attack": a date naming another event, not dating this one."""
    token = index.root_at(when.span.start, when.span.end)
    return token.dep_ in ("compound", "nmod", "amod", "poss") and token.head.pos_ == "NOUN"


def _governed(token: Token, trigger: Token, clause: Token) -> bool:
    return governs(trigger, token) or governs(clause, token)


def reported(sentence: Sentence, published: date | None) -> DateMention | None:
    """The ``reported`` period of an undated event, or None without a published date."""
    if published is None:
        return None
    return DateMention(Span(sentence.start, sentence.start, ""),
                       published - timedelta(days=REPORTED_DAYS), published, "reported")


def is_background(when: DateMention | None, published: date | None) -> bool:
    return (when is not None and when.end is not None and published is not None
            and (published - when.end).days > BACKGROUND_DAYS)


PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "reported": 4, "unknown": 5}


def more_precise(a: DateMention | None, b: DateMention | None) -> DateMention | None:
    """The better date of two frames merged into one event (a day beats a reported week)."""
    if a is None or b is None:
        return a or b
    return b if PRECISION_RANK.get(b.precision, 5) < PRECISION_RANK.get(a.precision, 5) else a


def overlap(a: DateMention | None, b: DateMention | None) -> bool:
    """Two dates can be the same occurrence's: their ranges overlap (or one is unknown)."""
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return True
    return a.start <= b.end and b.start <= a.end  # type: ignore[operator]

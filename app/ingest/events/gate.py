"""Article-level gate: no events from articles that are not about political violence.

A flood, a road accident, a title fight or a price war is written with "killed", "battle",
"offensive" and "war" too. The article is open when one of its frames reports an occurrence
(the triggers that need an armed context found one in their sentence), and its
headline and lede are not about a disaster, an accident, sport or markets without a conflict
frame of their own. A history (every dated happening decades before publication) is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.ingest.events.frames import Frame
from app.ingest.events.modality import has_cue
from app.ingest.types import ActorMention, DateMention, Sentence

DOMAINS = ("disaster", "accident", "sport", "market")
LEDE_SENTENCES = 3
HISTORY_YEARS = 20


def is_historical(dates: Sequence[DateMention], published: date | None) -> bool:
    """Every dated happening lies decades before publication: a history or a book review."""
    ends = [d.end for d in dates if d.end is not None]
    if not ends or published is None:
        return False
    return all((published - end).days > HISTORY_YEARS * 365 for end in ends)


def _other_domain(frames: Sequence[Frame], lede: Sequence[Sentence]) -> bool:
    """The headline and lede speak of a disaster, accident, match or market, and report no
    violent or protest occurrence of their own."""
    if any(f.sentence.index in {s.index for s in lede} and not f.reference for f in frames):
        return False
    for sentence in lede:
        words = frozenset((*sentence.lemmas.split(), *sentence.text.lower().split()))
        text = f" {sentence.text.lower()} "
        if any(has_cue(kind, words, text) for kind in DOMAINS):
            return True
    return False


def is_open(frames: Sequence[Frame], sentences: Sequence[Sentence], *,
            actors: Sequence[ActorMention], dates: Sequence[DateMention],
            published: date | None) -> bool:
    """Whether the article's frames may become events."""
    if not frames or is_historical(dates, published):
        return False
    if all(f.reference for f in frames):
        return False
    return not _other_domain(frames, sentences[:LEDE_SENTENCES])


__all__ = ["is_historical", "is_open"]

"""Figure scope: event, cumulative (a war's or campaign's toll), breakdown (part of a stated
total), context (population, distance, weapon specification).

Sentences are written for this file from many wars and run through the real spaCy model and
the real figure stage; each case names one figure by its number and the scope it must get.
"""

from __future__ import annotations

import pytest

from app.ingest.events.scope import find_scopes
from app.ingest.figures import find_figures
from app.ingest.pipeline import get_nlp
from app.ingest.types import FigureMention


def _scoped(text: str) -> list[FigureMention]:
    doc = get_nlp()(text)
    return find_scopes(doc, find_figures(doc))


def _scope_of(text: str, value: float) -> str:
    found = [f for f in _scoped(text) if value in (f.value, f.low, f.high)]
    assert found, f"no figure {value} in {[(f.value, f.span.text) for f in _scoped(text)]}"
    return found[0].scope


@pytest.mark.parametrize(
    ("text", "value", "scope"),
    [
        # this occurrence
        ("A Russian missile strike on Dnipro killed 14 people on Friday.", 14, "event"),
        ("Gunmen killed 21 villagers at a funeral in Tillaberi.", 21, "event"),
        ("The death toll from Saturday's strike on al-Mawasi rose to 90.", 90, "event"),
        ("JNIM fighters killed 12 soldiers since dawn in the attack on the Djibo camp.", 12,
         "event"),
        ("Troops advanced 5 km towards Pokrovsk, the ministry said.", 5, "event"),
        # a war's or campaign's toll
        ("Syria's war has killed more than 500,000 people since 2011.", 500000, "cumulative"),
        ("More than 38,000 Palestinians have been killed since October, the ministry said.",
         38000, "cumulative"),
        ("Jihadist violence has killed 1,200 civilians in Burkina Faso so far this year.",
         1200, "cumulative"),
        ("The death toll in the war has risen to 30,000, according to the UN.", 30000,
         "cumulative"),
        ("At least 311 people have been killed since the offensive began.", 311, "cumulative"),
        ("The conflict in Sudan has displaced 12 million people.", 12000000, "cumulative"),
        ("Cartel violence killed 300 people in Sinaloa in the past three months.", 300,
         "cumulative"),
        ("Airstrikes killed 40 people over three days of fighting in Sagaing.", 40, "cumulative"),
        ("In total, 85 peacekeepers have died in Mali.", 85, "cumulative"),
        (("A strike killed 12 people on Monday, bringing the toll since the start of the war "
         "to 2,400."), 2400, "cumulative"),
        # a part of a total already stated
        ("The strike killed 10 people, including 4 children.", 4, "breakdown"),
        ("Twenty civilians were killed in Bokkos; among them were 7 women.", 7, "breakdown"),
        ("The blast killed 16 recruits, five of them teenagers.", 5, "breakdown"),
        ("Shelling killed 9 people in Kherson. Among the dead were 3 children.", 3, "breakdown"),
        # context: populations, distances between places, weapon specifications
        ("Abu Shouk, a camp of 200,000 people, was shelled again on Sunday.", 200000, "context"),
        ("The town, home to 300,000 residents, lies on the main road to El Obeid.", 300000,
         "context"),
        ("Sake lies 27 km west of Goma.", 27, "context"),
        ("The missile has a range of 300 km.", 300, "context"),
    ],
)
def test_scope(text: str, value: float, scope: str) -> None:
    assert _scope_of(text, value) == scope


def test_the_event_figure_beside_a_cumulative_one_stays_event() -> None:
    """Clauses, not sentences: the event's 12 is not tainted by the toll in the next clause."""
    scoped = _scoped("A strike killed 12 people on Monday, bringing the toll since the start "
                     "of the war to 2,400.")
    assert {f.value: f.scope for f in scoped} == {12.0: "event", 2400.0: "cumulative"}


def test_breakdown_needs_a_total_before_it() -> None:
    """'including' with no stated total before it is the event's own count."""
    assert _scope_of("Including 4 children, the dead were buried in Konduga.", 4) == "event"


def test_scope_keeps_every_other_field() -> None:
    text = "At least 20 people were killed in Goma, the UN said, including 6 children."
    doc = get_nlp()(text)
    before = find_figures(doc)
    after = find_scopes(doc, before)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert (old.span, old.value, old.counts, old.claimant) == \
            (new.span, new.value, new.counts, new.claimant)

"""Deaths per event: the event's killed figures, ACLED's conservative rule, singular victims.

Each case is a short text written for this file (many wars), run through the real spaCy model,
the real figure stage and the scope stage; all of its sentences are the event's sentences.
"""

from __future__ import annotations

import pytest

from app.ingest.events.fatalities import count_fatalities
from app.ingest.events.scope import find_scopes
from app.ingest.figures import find_figures
from app.ingest.pipeline import get_nlp
from app.ingest.text.doc_index import sentences


def _dead(text: str) -> int | None:
    doc = get_nlp()(text)
    figures = find_scopes(doc, find_figures(doc))
    return count_fatalities(figures, sentences(doc))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # stated figures
        ("Gunmen killed 12 villagers in Zamfara State on Sunday.", 12),
        ("At least 31 people were killed when shells hit the Abu Shouk camp.", 31),
        # each side's dead are summed
        ("Two soldiers and four militants were killed in the clash near Wanlaweyn.", 6),
        (("The ministry said 23 soldiers were killed and 30 assailants were killed in the "
         "ambush near Ouallam."), 53),
        # singular victims count one each
        ("A civilian was killed in the shelling of Kherson on Tuesday.", 1),
        ("Suspected separatists shot and killed a policeman in Bamenda.", 1),
        ("Unidentified gunmen shot dead a kebele administrator in Dembi Dolo.", 1),
        ("A soldier lost his life after stepping on a landmine in Cauca.", 1),
        ("A woman died when a mortar round hit her house in Taiz.", 1),
        ("A Russian drone strike killed a paramedic and a driver near Sumy.", 2),
        # a part of a total is not counted twice
        ("An airstrike on a market in Nyala killed 10 people, including 4 children.", 10),
        ("Israeli strikes killed 27 people in Gaza City; among them were nine children.", 27),
        # competing named sources: the lowest
        (("The strike killed 24 people, the health ministry said. A local volunteer network "
         "said 31 people had been killed."), 24),
        (("Police said 12 people were killed in the attack on Konduga, while a lawmaker said "
         "the death toll was 23."), 12),
        # a belligerent's claim of enemy losses competes with the total
        (("The blast killed 16 people, police said. Al-Shabaab claimed it had killed more "
         "than 20 soldiers."), 16),
        # the wounded, the abducted and running tolls are not this event's dead
        ("Three civilians were wounded by a grenade thrown into a tea shop in Mogadishu.", None),
        ("Bandits abducted 30 villagers in Tsafe on Sunday.", None),
        ("The war has killed more than 150,000 people since 2011.", None),
        # a vague count is no count
        ("Dozens of people were killed in clashes between gangs in Cite Soleil.", None),
        # nothing about deaths, or the text says nobody died: None (EVENTS.md: never 0)
        ("Hezbollah fired rockets at Kiryat Shmona on Tuesday.", None),
        ("RSF drones struck a fuel depot in Port Sudan. No casualties were reported.", None),
        ("Settlers set fire to cars in Sinjil overnight. Nobody was hurt.", None),
        (("Houthi forces launched a drone at a bulk carrier off Hodeidah. No damage or "
         "casualties were reported."), None),
        # a count only its sentence's "no deaths" speaks of is no toll
        ("Medics treated 14 people for breathing difficulties; no deaths were reported.", None),
        # "an unknown number" is no singular victim
        ("Nine soldiers and an unknown number of insurgents were killed in Monguno.", 9),
        # a kill verb shared by conjoined verbs
        ("Residents lynched and burned three men accused of theft in Petion-Ville.", 3),
        # down verbs that kill nobody
        ("Air defences shot down a drone over Erbil airport.", None),
        ("Separatist fighters burned down a primary school in Ndop.", None),
    ],
)
def test_fatalities(text: str, expected: int | None) -> None:
    assert _dead(text) == expected


def test_only_event_figures_count() -> None:
    """A cumulative toll handed in with the event's figures is ignored."""
    text = ("A strike on Jabalia killed 18 people on Sunday. More than 38,000 Palestinians "
            "have been killed since October, the health ministry says.")
    doc = get_nlp()(text)
    figures = find_scopes(doc, find_figures(doc))
    assert {f.value: f.scope for f in figures if f.counts in {"killed", "civilians_killed"}} \
        == {18.0: "event", 38000.0: "cumulative"}
    assert count_fatalities(figures, sentences(doc)) == 18


def test_no_figures_and_no_sentences() -> None:
    assert count_fatalities([], []) is None

"""The event stage: occurrences typed, merged, dated and gated, on sentences written for many
wars (never one article's wording)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from app.ingest.events import taxonomy
from app.ingest.pipeline import extract
from app.ingest.types import ArticleMeta

DATED = ArticleMeta(published=date(2024, 6, 12))
ACLED_TYPES = Path(__file__).parent / "fixtures" / "descriptions" / "acled_types.csv"

# (sentence, ACLED event type, ACLED sub-event type): one per sub-event type of the 2023 codebook
SUB_EVENTS = [
    ("Army troops clashed with FARC dissidents near Tame on Tuesday, killing three fighters.",
     "Battles", "Armed clash"),
    ("Al-Shabaab militants ambushed a Kenyan army patrol near Mandera on Monday.",
     "Battles", "Armed clash"),
    ("Government troops recaptured the town of Bama from Boko Haram fighters on Sunday.",
     "Battles", "Government regains territory"),
    ("Arakan Army rebels seized the town of Paletwa on Monday after days of fighting.",
     "Battles", "Non-state actor overtakes territory"),
    ("Government helicopters dropped barrels of chlorine gas on a village near Idlib on Friday.",
     "Explosions/Remote violence", "Chemical weapon"),
    ("Sudanese army warplanes bombed a market in Nyala on Thursday.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("A Russian drone hit a bus in Kherson on Tuesday, killing two passengers.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("A suicide bomber blew himself up at a checkpoint in Mogadishu on Monday.",
     "Explosions/Remote violence", "Suicide bomb"),
    ("Russian forces shelled Nikopol overnight, damaging houses.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("A roadside bomb struck a police vehicle near Quetta on Sunday, wounding four officers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Two shepherds were killed by a landmine near Taiz on Wednesday.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Unknown assailants threw a grenade at a bar in Bujumbura on Saturday.",
     "Explosions/Remote violence", "Grenade"),
    ("Armed men raped four women near Bunia on Friday, a health worker said.",
     "Violence against civilians", "Sexual violence"),
    ("Gunmen opened fire on worshippers at a church in Ondo on Sunday, killing 22 people.",
     "Violence against civilians", "Attack"),
    ("Bandits abducted 30 students from a school in Kaduna on Thursday.",
     "Violence against civilians", "Abduction/forced disappearance"),
    ("Thousands of people protested in Tbilisi on Sunday against the foreign agents law.",
     "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse protesters in Nairobi on Tuesday.",
     "Protests", "Protest with intervention"),
    ("Soldiers opened fire on protesters in Khartoum on Thursday, killing five.",
     "Protests", "Excessive force against protesters"),
    ("Rioters set fire to a police station in Dhaka on Monday.",
     "Riots", "Violent demonstration"),
    ("A mob lynched a man accused of theft in Kano on Saturday.",
     "Riots", "Mob violence"),
    ("The government and the rebels signed a ceasefire agreement in Doha on Monday.",
     "Strategic developments", "Agreement"),
    ("Police arrested 40 opposition activists in Harare on Wednesday.",
     "Strategic developments", "Arrests"),
    ("About 200 fighters of the group surrendered to the army in Beni on Tuesday.",
     "Strategic developments", "Change to group/activity"),
    ("Air defences intercepted three missiles over Kyiv on Tuesday.",
     "Strategic developments", "Disrupted weapons use"),
    ("The army set up a new base near Kidal on Friday.",
     "Strategic developments", "Headquarters or base established"),
    ("Militiamen looted shops and burned houses in Djugu on Sunday.",
     "Strategic developments", "Looting/property destruction"),
    ("Rebel units handed over the town of Falam to a rival group on Monday.",
     "Strategic developments", "Non-violent transfer of territory"),
    ("The governor declared a state of emergency in Kursk on Wednesday.",
     "Strategic developments", "Other"),
]


def _events(text: str, meta: ArticleMeta | None = DATED):  # type: ignore[no-untyped-def]
    return extract(text, meta).events


@pytest.mark.parametrize(("sentence", "event_type", "sub_event"), SUB_EVENTS)
def test_each_sub_event_type_from_a_sentence(sentence: str, event_type: str,
                                             sub_event: str) -> None:
    events = _events(sentence)
    assert [(e.acled_event_type, e.acled_sub_event_type) for e in events] == [
        (event_type, sub_event)]


def test_every_acled_sub_event_type_is_reachable() -> None:
    """The taxonomy maps onto every 2023 sub-event type, and the table above reaches each."""
    with open(ACLED_TYPES, newline="", encoding="utf-8") as handle:
        codebook = {(r["event_type"], r["sub_event_type"]) for r in csv.DictReader(handle)}
    mapped = {(t.acled_event_type, t.acled_sub_event_type)
              for t in taxonomy.event_types().values()}
    assert codebook <= mapped
    assert codebook <= {(t, s) for _, t, s in SUB_EVENTS}


@pytest.mark.parametrize(
    "text",
    [
        "Paris called the attacks on Kharkiv unacceptable.",
        "The rebels threatened to attack Goma if talks failed.",
        "Analysts said Russian forces could launch an offensive on Sumy next month.",
        "The army did not attack the camp, a spokesman said.",
        "Will the militants strike again before the election?",
        "Syria's war has killed more than 500,000 people since 2011.",
        "Floods killed 40 people in Beledweyne on Monday.",
        "A bus collided with a truck near Naivasha on Sunday, killing 11 passengers.",
        "Arsenal beat Chelsea 2-0 in a Premier League match on Saturday.",
        "Wheat futures fell 3% on Monday as traders priced in a bumper harvest.",
        "Mediators said ceasefire talks between the two sides would resume in Jeddah.",
        "Speaking in Tokyo, the minister said the alliance stood by Ukraine.",
    ],
)
def test_non_events_give_none(text: str) -> None:
    assert _events(text) == ()


def test_a_reporting_verb_over_an_event_is_an_event() -> None:
    events = _events("The army said it killed five militants near Gao on Tuesday.")
    assert [e.acled_event_type for e in events] == ["Battles"]


def test_headline_and_lede_are_one_event_with_both_mentions() -> None:
    text = ("Drone strike kills four in Kherson\n\nKHERSON, June 12 - A Russian drone strike "
            "killed four civilians in Kherson on Tuesday, regional officials said. The drone hit "
            "a minibus near the central market.\n")
    events = _events(text)
    assert len(events) == 1
    event = events[0]
    assert event.acled_sub_event_type == "Air/drone strike"
    assert len(event.mentions) == 3
    assert event.sentence in event.mentions


def test_a_reaction_joins_the_event_it_refers_to() -> None:
    text = ("Gunmen killed 12 villagers in Mopti on Sunday, local officials said. The UN "
            "condemned the attack.\n")
    events = _events(text)
    assert len(events) == 1 and len(events[0].mentions) == 2


def test_strikes_on_a_list_of_towns_are_one_event_per_town() -> None:
    text = ("Israeli jets struck Hezbollah positions in Khiam, Kfar Kila and Aitaroun on "
            "Monday, the army said.")
    places = {e.place.name for e in _events(text) if e.place}
    assert {"Khiam", "Kfar Kila"} <= places and len(_events(text)) >= 2


def test_a_weapon_refines_a_killing() -> None:
    events = _events("Three soldiers were killed by an IED near Mocimboa da Praia on Friday.")
    assert [e.acled_sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_an_undated_event_is_reported_in_the_week_before_publication() -> None:
    events = _events("Militants attacked an army post in Kidal, killing two soldiers.")
    assert len(events) == 1 and events[0].date is not None
    when = events[0].date
    assert when.precision == "reported"
    assert (when.start, when.end) == (date(2024, 6, 5), date(2024, 6, 12))


def test_without_a_published_date_an_undated_event_stays_unknown() -> None:
    events = _events("Militants attacked an army post in Kidal, killing two soldiers.", None)
    assert len(events) == 1 and events[0].date is None


def test_an_event_from_long_ago_is_background() -> None:
    text = ("Troops shelled Avdiivka on Monday, killing two civilians. "
            "Russian forces captured Bakhmut in May 2023 after months of fighting.")
    by_type = {e.acled_event_type: e for e in _events(text)}
    assert not by_type["Explosions/Remote violence"].background
    assert by_type["Battles"].background


def test_the_speakers_city_is_not_the_event_place() -> None:
    text = ("Speaking in Geneva, the envoy said rebels had shelled Goma on Monday, "
            "killing three civilians.")
    events = _events(text)
    assert [e.place.name for e in events if e.place] == ["Goma"]


def test_the_bracketed_district_and_region_do_not_split_an_event() -> None:
    text = ("On 4 March 2024, gunmen killed five herders in Dioura (Tenenkou, Mopti) "
            "and burned their huts.")
    events = _events(text)
    assert len(events) == 1 and events[0].place is not None
    assert events[0].place.name != "Mopti"


def test_every_offset_points_into_the_stored_text() -> None:
    text = ("Army says militants killed 12 in Borno\n\nMAIDUGURI, March 4 (Reuters) - Boko Haram "
            "militants killed at least 12 farmers near Gwoza in Borno state on Sunday, the army "
            "said.\n")
    draft = extract(text)
    assert draft.events
    for event in draft.events:
        for mention in event.mentions:
            assert draft.clean.text[mention.start:mention.end] == mention.text
        for figure in event.figures:
            assert draft.clean.text[figure.span.start:figure.span.end] == figure.span.text
    twelves = [f for f in draft.figures if f.value == 12]
    assert len(twelves) == 1  # the headline figure the body repeats counts once


@pytest.mark.parametrize(
    "text",
    [
        ("Supermarket price war heats up\n\nTesco launched a counter-offensive in the price war "
         "on Monday, cutting 250 prices. Analysts said smaller chains would be the first "
         "casualties on the front line.\n"),
        ("Usyk wins the battle of Riyadh\n\nOleksandr Usyk won a brutal fight against Tyson Fury "
         "on Saturday. The Ukrainian attacked from the first round and Fury said he would "
         "fight on.\n"),
        ("Floods displace thousands in Somalia\n\nHeavy rains caused the Shabelle river to burst "
         "its banks in Beledweyne on Sunday, killing 12 people and displacing thousands, "
         "officials said.\n"),
        ("Review: a new history of the Eastern Front\n\nBooks | Saturday 14 September 2024\n\n"
         "In February 1943 some 91,000 German soldiers surrendered at Stalingrad, and in July "
         "1943 the Red Army stopped the offensive at Kursk, killing thousands of troops.\n"),
    ],
)
def test_articles_off_the_conflict_beat_give_no_events(text: str) -> None:
    assert extract(text).events == ()


def test_a_named_armed_group_makes_a_short_brief_count() -> None:
    text = ("Houthis claim attack on tanker\n\nYemen's Houthis said they attacked a tanker in "
            "the Red Sea with a drone boat on Tuesday.\n")
    assert extract(text).events


def test_footnote_markers_come_off_place_names() -> None:
    from app.ingest.pipeline import get_nlp

    text = "About 590,000 people fled to Adré.[2] Others went to Chad[13]."
    tokens = [t.text for t in get_nlp()(text)]
    assert "Adré" in tokens and "Chad" in tokens


def test_a_claim_dates_its_capture_and_a_later_seizure_is_another_event() -> None:
    text = ("Rebels, who said on Monday that they had captured Bunia, seized its airport on "
            "Wednesday, residents said.")
    days = sorted(e.date.start for e in _events(text) if e.date and e.date.start)
    assert days == [date(2024, 6, 10), date(2024, 6, 12)]

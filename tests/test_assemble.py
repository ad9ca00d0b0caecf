"""Event assembly and typing, on sentences from several conflicts."""

from __future__ import annotations

import pytest

from app.ingest.events.taxonomy import classify
from app.ingest.pipeline import extract


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("RSF fighters shelled the Abu Shouk camp in El Fasher.", "shelling"),
        ("Israeli warplanes bombed a school in Deir al-Balah.", "air_strike"),
        ("Russian drones hit the port of Izmail overnight.", "drone_strike"),
        ("The Arakan Army captured the town of Paletwa.", "territorial_control"),
        ("M23 fighters stormed the northern suburbs of Goma.", "ground_assault"),
        ("Hundreds of protesters ransacked the French embassy in Kinshasa.", "riot"),
        ("Some 14,000 people were forced to flee their homes in Idlib.", "evacuation"),
        ("The governor declared a state of emergency in Kursk.", "emergency_declaration"),
        ("Gunmen massacred villagers in Barsalogho.", "violence_against_civilians"),
        ("Police arrested 40 suspected al-Shabaab members in Mogadishu.", "arrest"),
        ("The ministry said the talks would resume next week.", "statement"),
        ("The weather was mild and the markets were busy.", None),
    ],
)
def test_event_types_from_cues_and_lemmas(sentence: str, expected: str | None) -> None:
    from app.ingest.pipeline import get_nlp

    doc = get_nlp()(sentence)
    lemmas = " ".join(t.lemma_.lower() for t in doc)
    found = classify(sentence, lemmas)
    assert (found.name if found else None) == expected


BRIEF = (
    "Army says militants killed 12 in Borno\n\n"
    "MAIDUGURI, March 4 (Reuters) - Boko Haram militants killed at least 12 farmers near "
    "Gwoza in Borno state on Sunday, the army said. Up to 300 residents fled to Maiduguri, "
    "according to local officials.\n"
)


def test_each_reported_occurrence_becomes_an_event_with_its_parts() -> None:
    draft = extract(BRIEF)
    by_place = {e.place.name: e for e in draft.events if e.place}
    attack = by_place["Gwoza"]
    assert attack.type == "violence_against_civilians" or attack.type == "casualties"
    assert attack.date is not None and attack.date.precision == "day"
    assert attack.date.start is not None and attack.date.start.weekday() == 6
    assert any(a.name == "Boko Haram" for a in attack.actors)
    assert [f.value for f in attack.figures] == [12]
    assert "Maiduguri" in by_place and by_place["Maiduguri"].figures[0].high == 300


def test_every_offset_points_into_the_stored_text() -> None:
    draft = extract(BRIEF)
    text = draft.clean.text
    for event in draft.events:
        assert text[event.sentence.start:event.sentence.end] == event.sentence.text
        for figure in event.figures:
            assert text[figure.span.start:figure.span.end] == figure.span.text


def test_headline_figure_repeated_in_the_body_counts_once() -> None:
    draft = extract(BRIEF)
    twelves = [f for f in draft.figures if f.value == 12]
    assert len(twelves) == 1 and twelves[0].span.start > BRIEF.index("MAIDUGURI")


def test_a_story_without_conflict_yields_no_events() -> None:
    text = ("Kenya's tea exports rise 8%\n\nNAIROBI, May 2 (Reuters) - Kenya exported 48,000 "
            "tonnes of tea in March, up 8% from a year earlier, the tea board said on Tuesday. "
            "Prices at the Mombasa auction rose to $2.90 a kilo.\n")
    assert extract(text).events == ()


@pytest.mark.parametrize(
    "text",
    [
        ("Supermarket price war heats up\n\nTesco launched a counter-offensive in the price war "
         "on Monday, cutting 250 prices. Analysts said smaller chains would be the first "
         "casualties on the front line. Aldi vowed to fight back with drone deliveries.\n"),
        ("Usyk wins the battle of Riyadh\n\nOleksandr Usyk won a brutal fight against Tyson Fury "
         "on Saturday. The Ukrainian attacked from the first round and Fury said he would "
         "fight on.\n"),
    ],
)
def test_metaphorical_war_words_are_not_conflict(text: str) -> None:
    assert extract(text).events == ()


def test_a_named_armed_group_makes_a_short_brief_count() -> None:
    text = ("Houthis claim attack on tanker\n\nYemen's Houthis said they attacked a tanker in "
            "the Red Sea with a drone boat on Tuesday.\n")
    assert extract(text).events


def test_footnote_markers_come_off_place_names() -> None:
    from app.ingest.pipeline import get_nlp

    tokens = [t.text for t in get_nlp()("About 590,000 people fled to Adré.[2] Others went to Chad[13].")]
    assert "Adré" in tokens and "Chad" in tokens


def test_a_history_review_yields_no_events() -> None:
    text = ("Review: a new history of the Eastern Front\n\nBooks | Saturday 14 September 2024\n\n"
            "In February 1943 some 91,000 German soldiers surrendered at Stalingrad, and in July "
            "1943 the Red Army stopped the offensive at Kursk, killing thousands of troops. "
            "The author follows a dozen soldiers until May 1945.\n")
    assert extract(text).events == ()


def test_background_years_beside_recent_dates_keep_the_article() -> None:
    text = ("Israeli strikes kill 12 in south Lebanon\n\nPublished: 24/09/2024\n\n"
            "Israeli strikes killed at least 12 people in Nabatieh on Monday, the health "
            "ministry said, the deadliest day since the 2006 war between Israel and Hezbollah.\n")
    assert extract(text).events

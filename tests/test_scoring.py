"""The scorer's matching rules, on small hand-made records."""

from __future__ import annotations

import pytest

from app.scoring import (
    claimant_matches,
    date_label,
    figure_matches,
    place_key,
    place_matches,
    score_places,
)

GOMA = {"name": "Goma", "country": "CD", "lat": -1.68, "lon": 29.23}


@pytest.mark.parametrize(
    ("place", "matches"),
    [
        ({"name": "Goma", "country": "CD", "lat": None, "lon": None}, True),  # same name
        ({"name": "Gisenyi", "country": "RW", "lat": -1.70, "lon": 29.26}, False),  # 4 km, other country
        ({"name": "Munigi", "country": "CD", "lat": -1.63, "lon": 29.25}, True),  # 6 km
        ({"name": "Sake", "country": "CD", "lat": -1.57, "lon": 28.80}, False),  # 49 km
    ],
)
def test_place_matching(place: dict, matches: bool) -> None:
    assert place_matches(GOMA, place) is matches


def test_region_words_and_diacritics_fold_away() -> None:
    assert place_key("Kursk Oblast") == place_key("Kursk region") == "kursk"
    assert place_key("L’gov") == place_key("Lgov")


def test_places_precision_counts_acceptable_names() -> None:
    gold = {"places": [GOMA], "acceptable_places": ["Rwanda"]}
    extracted = [{"name": "Goma", "country": "CD", "lat": -1.68, "lon": 29.23},
                 {"name": "Rwanda", "country": "RW", "lat": -2.0, "lon": 30.0},
                 {"name": "Paris", "country": "FR", "lat": 48.85, "lon": 2.35}]
    tally = score_places(gold, extracted)
    assert (tally.found, tally.gold, tally.correct, tally.extracted) == (1, 1, 2, 3)


TEXT = "Officials said at least 40 people were killed. Up to 300 fled."


@pytest.mark.parametrize(
    ("figure", "matches"),
    [
        ({"start": 15, "end": 26, "value": 40, "low": 40, "high": None}, True),
        ({"start": 15, "end": 26, "value": 41, "low": None, "high": None}, False),  # wrong value
        ({"start": 50, "end": 60, "value": 40, "low": None, "high": None}, False),  # elsewhere
    ],
)
def test_figure_matching_needs_value_and_position(figure: dict, matches: bool) -> None:
    gold = {"quote": "at least 40 people", "value": 40, "low": 40, "high": None}
    assert figure_matches(gold, figure, TEXT) is matches


def test_vague_ranges_match_when_they_overlap() -> None:
    text = "Hundreds of people fled."
    gold = {"quote": "Hundreds of people", "value": None, "low": 200, "high": 900}
    assert figure_matches(gold, {"start": 0, "end": 18, "value": None, "low": 300,
                                 "high": 1000}, text)
    assert not figure_matches(gold, {"start": 0, "end": 18, "value": None, "low": 1000,
                                     "high": 2000}, text)


@pytest.mark.parametrize(
    ("gold", "mine", "matches"),
    [
        (None, None, True),
        ("Valery Gerasimov", "Gerasimov", True),
        ("RSF", "Rapid Support Forces", True),
        ("UN", None, False),
        ("Telegram", "Russian Defence Ministry", False),
    ],
)
def test_claimant_matching(gold: str | None, mine: str | None, matches: bool) -> None:
    assert claimant_matches(gold, mine) is matches


@pytest.mark.parametrize(
    ("date", "label"),
    [
        ({"start": "2024-08-06", "precision": "day"}, "2024-08-06"),
        ({"start": "2024-08-05", "precision": "week"}, "2024-W32"),
        ({"start": "2024-03-01", "precision": "month"}, "2024-03"),
        ({"start": "2015-01-01", "precision": "year"}, "2015"),
        ({"start": None, "precision": "unknown"}, None),
    ],
)
def test_date_labels(date: dict, label: str | None) -> None:
    assert date_label(date) == label


def test_actor_names_match_without_a_leading_article() -> None:
    from app.scoring import score_actors

    gold = {"actors": [{"name": "UNMISS", "kind": "organization",
                        "aliases": ["The United Nations Mission in South Sudan"]}]}
    extracted = [{"name": "United Nations Mission in South Sudan", "kind": "organization"}]
    tally = score_actors(gold, extracted, persons=False)
    assert (tally.found, tally.correct) == (1, 1)

"""The scorer's matching rules, on small hand-made records."""

from __future__ import annotations

from pathlib import Path

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
        # 4 km, other country
        ({"name": "Gisenyi", "country": "RW", "lat": -1.70, "lon": 29.26}, False),
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


# ---------------------------------------------------------------- events (EVENTS.md "Scoring")

SUDZHA = {"name": "Sudzha", "country": "RU", "admin1": "Kursk", "lat": 51.19, "lon": 35.27,
          "precision": "settlement"}


def gold_event(**changes: object) -> dict:
    event = {"event_type": "Battles", "sub_event_type": "Armed clash", "date": "2024-08-06",
             "precision": "day", "place": SUDZHA, "actor1": "Ukraine", "actor2": "Russia",
             "fatalities": None, "quote": "Ukrainian troops stormed Sudzha"}
    return {**event, **changes}


def served(lat: float = 51.19, lon: float = 35.27, **changes: object) -> dict:
    """An event as the API serves it today (no actor1/actor2/fatalities keys)."""
    event = {"acled_event_type": "Battles", "acled_sub_event_type": "Armed clash",
             "date": {"start": "2024-08-06", "end": "2024-08-06", "precision": "day"},
             "place": {"name": "Sudzha", "kind": "settlement", "country": "RU",
                       "admin1": "Kursk", "lat": lat, "lon": lon},
             "excerpt": {"text": "Ukrainian troops stormed Sudzha.", "start": 0, "end": 32}}
    return {**event, **changes}


def event_scores(events: list[dict], served_events: list[dict], *, acceptable: list[dict] = (),
                 published: str | None = "2024-08-07"):  # type: ignore[no-untyped-def]
    from app.scoring import Scores
    from app.scoring_events import score_events

    gold = {"published": published, "events": events, "acceptable_events": list(acceptable),
            "actors": [{"name": "Ukraine", "kind": "state", "aliases": ["Ukrainian troops"]},
                       {"name": "Russia", "kind": "state", "aliases": ["Russian forces"]}]}
    scores = Scores()
    score_events(gold, served_events, scores)
    return scores


def counts(scores) -> tuple[int, int, int, int, int]:  # type: ignore[no-untyped-def]
    t = scores.events
    return t.correct, t.extracted, t.found, t.gold, t.neutral


def test_an_event_matches_on_type_place_and_date() -> None:
    assert counts(event_scores([gold_event()], [served()])) == (1, 1, 1, 1, 0)


def test_another_event_type_does_not_match() -> None:
    other = served(acled_event_type="Explosions/Remote violence")
    assert counts(event_scores([gold_event()], [other])) == (0, 1, 0, 1, 0)


def test_the_event_type_is_read_as_event_type_too() -> None:
    renamed = served()
    renamed["event_type"] = renamed.pop("acled_event_type")
    assert counts(event_scores([gold_event()], [renamed])) == (1, 1, 1, 1, 0)


@pytest.mark.parametrize(("lat", "matches"), [(51.55, True), (51.66, False)])  # 40 km / 52 km
def test_places_match_within_50_km(lat: float, matches: bool) -> None:
    assert event_scores([gold_event()], [served(lat=lat)]).events.found == matches


def test_an_admin1_level_side_matches_anywhere_in_the_same_region() -> None:
    from app.scoring_events import event_place_matches

    kursk_oblast = {"name": "Kursk Oblast", "kind": "admin1", "country": "RU", "admin1": "Kursk",
                    "lat": 51.6, "lon": 36.1}
    rylsk = {"name": "Rylsk", "kind": "settlement", "country": "RU", "admin1": "Kursk",
             "lat": 51.57, "lon": 34.68}  # ~100 km from the region's centroid
    belgorod = {"name": "Belgorod", "kind": "settlement", "country": "RU",
                "admin1": "Belgorod", "lat": 50.6, "lon": 36.59}
    gold_region = {"name": "Kursk region", "country": "RU", "admin1": "Kursk Oblast",
                   "lat": 51.6, "lon": 36.1, "precision": "admin1"}
    assert event_place_matches(gold_region, rylsk)
    assert not event_place_matches(gold_region, belgorod)
    assert event_place_matches(SUDZHA | {"lat": 51.7, "lon": 36.9}, kursk_oblast)  # gold town
    assert not event_place_matches(SUDZHA, belgorod)


def test_a_country_level_side_matches_anywhere_in_the_same_country() -> None:
    from app.scoring_events import event_place_matches

    russia = {"name": "Russia", "kind": "country", "country": "RU", "lat": 61.5, "lon": 105.3}
    ukraine = {"name": "Ukraine", "kind": "country", "country": "UA", "lat": 49.0, "lon": 32.0}
    assert event_place_matches(SUDZHA, russia)
    assert not event_place_matches(SUDZHA, ukraine)
    assert event_place_matches(None, ukraine)  # a gold place null matches any
    assert not event_place_matches(SUDZHA, None)


def test_region_spellings_meet_through_the_region_table() -> None:
    from app.scoring_events import admin1_key

    assert admin1_key("SO", "Hiraan") == admin1_key("SO", "Hiiraan") is not None
    assert admin1_key("RU", "Kursk Oblast") == admin1_key("RU", "Kursk region")
    assert admin1_key("RU", "Kursk") != admin1_key("RU", "Belgorod")


@pytest.mark.parametrize(
    ("start", "end", "matches"),
    [("2024-08-01", "2024-08-01", True),  # inside the 7 days ending on 2024-08-07
     ("2024-07-31", "2024-07-31", False),
     ("2024-07-25", "2024-08-02", True),  # a range overlapping the window
     (None, None, False)],  # undated
)
def test_a_reported_gold_date_is_the_week_before_publication(start: str | None, end: str | None,
                                                             matches: bool) -> None:
    gold = gold_event(date="2024-08-07", precision="reported")
    mine = served(date={"start": start, "end": end, "precision": "day"})
    assert event_scores([gold], [mine]).events.found == matches


@pytest.mark.parametrize(
    ("date", "precision", "matches"),
    [("2024-W32", "week", True), ("2024-08", "month", True), ("2024-W33", "week", False),
     ("2024-07", "month", False), (None, "unknown", True)],
)
def test_gold_periods_overlap_the_predicted_day(date: str | None, precision: str,
                                                matches: bool) -> None:
    gold = gold_event(date=date, precision=precision)
    assert event_scores([gold], [served()]).events.found == matches


def test_pairs_are_one_to_one_and_the_best_pair_first() -> None:
    # gold A at Sudzha, gold B 34 km north; prediction X is 3 km from B (31 from A), Y is
    # 17 km from A (51 from B). Taking the first match in order would give A-X and leave B
    # unmatched; the nearest pairs first give B-X and A-Y.
    gold_b = gold_event(place=SUDZHA | {"name": "Martynovka", "lat": 51.50})
    scores = event_scores([gold_event(), gold_b], [served(lat=51.47), served(lat=51.04)])
    assert counts(scores) == (2, 2, 2, 2, 0)
    duplicate = event_scores([gold_event()], [served(), served(lat=51.2)])
    assert counts(duplicate) == (1, 2, 1, 1, 0)  # the second report of it is spurious
    assert any("event spurious" in m for m in duplicate.events.misses)


def test_best_first_prefers_the_pair_whose_attributes_agree() -> None:
    from app.scoring_events import gold_view, match_events, predicted_view

    golds = [gold_view(gold_event(sub_event_type="Armed clash"), None),
             gold_view(gold_event(sub_event_type="Government regains territory"), None)]
    mine = [predicted_view(served(acled_sub_event_type="Government regains territory")),
            predicted_view(served(acled_sub_event_type="Armed clash"))]
    assert match_events(golds, mine, {}) == {0: 1, 1: 0}


def test_acceptable_events_are_neither_right_nor_wrong() -> None:
    background = gold_event(date="2022-02", precision="month", place=None,
                            quote="launched its invasion in February 2022")
    old = served(date={"start": "2022-02-01", "end": "2022-02-28", "precision": "month"})
    scores = event_scores([gold_event()], [served(), old], acceptable=[background])
    assert counts(scores) == (1, 1, 1, 1, 1)
    assert scores.events.precision == 1.0


def test_a_non_conflict_article_must_give_zero_events() -> None:
    from app.scoring import score_article
    from app.scoring_events import score_events

    gold = {"has_conflict_events": False, "places": [], "actors": [], "figures": [],
            "published": None, "events": [], "acceptable_events": []}
    article = {"text": "The champion kept his title on points.", "published": None}
    record = served(actors=[])
    record["place"]["id"] = 1
    scores = score_article(gold, article, [record], [])
    score_events(gold, [served()], scores)
    assert (scores.no_events.right, scores.no_events.total) == (0, 1)
    assert (scores.events.correct, scores.events.extracted) == (0, 1)
    quiet = score_article(gold, article, [], [])
    score_events(gold, [], quiet)
    assert (quiet.no_events.right, quiet.no_events.total, quiet.events.extracted) == (1, 1, 0)


def test_a_gold_file_without_events_is_not_scored_for_events() -> None:
    from app.scoring import Scores
    from app.scoring_events import score_events

    scores = Scores()
    assert score_events({"published": None, "actors": []}, [served()], scores) is None
    assert (scores.events.extracted, scores.dated.total) == (0, 0)


def test_fields_the_api_lacks_are_wrong_and_counted_once_it_serves_them() -> None:
    today = event_scores([gold_event()], [served()])
    assert [getattr(today, n).right for n in ("sub_event", "actor1", "actor2", "fatalities")] \
        == [1, 0, 0, 0]
    later = served(actor1={"id": 3, "name": "Ukrainian troops", "kind": "state"},
                   actor2="russia", fatalities=None)
    scores = event_scores([gold_event()], [later])
    assert [getattr(scores, n).right for n in ("actor1", "actor2", "fatalities")] == [1, 1, 1]
    wrong = event_scores([gold_event(fatalities=2)], [served(actor1=None, fatalities=3)])
    assert (wrong.actor1.right, wrong.fatalities.right) == (0, 0)


def test_the_share_of_events_dated() -> None:
    undated = served(date={"start": None, "end": None, "precision": "unknown"})
    scores = event_scores([gold_event()], [served(), undated, undated])
    assert (scores.dated.right, scores.dated.total) == (1, 3)


# ---------------------------------------------------------------- description metrics


def test_description_place_is_stricter_than_matching() -> None:
    from app.scoring_descriptions import description_place

    russia = {"name": "Russia", "kind": "country", "country": "RU", "lat": 61.5, "lon": 105.3}
    rylsk = {"name": "Rylsk", "kind": "settlement", "country": "RU", "admin1": "Kursk",
             "lat": 51.57, "lon": 34.68}
    region = {"name": "Kursk Oblast", "country": "RU", "admin1": "Kursk", "lat": 51.6,
              "lon": 36.1, "precision": "admin1"}
    assert not description_place(SUDZHA, russia)  # matches for P/R, but is no place answer
    assert not description_place(SUDZHA, rylsk)  # 50 km away
    assert description_place(region, rylsk)  # a town in the gold region
    assert description_place(SUDZHA, SUDZHA | {"lat": 51.3})


def description_scores(golds: list[dict], served_events: list[dict],
                       figures: list[dict] = ()):  # type: ignore[no-untyped-def]
    from app.scoring import Scores
    from app.scoring_descriptions import score_description
    from app.scoring_events import score_events

    gold = {"published": None, "events": golds, "actors": [], "format": "description"}
    scores = Scores()
    score_description(score_events(gold, served_events, scores), list(figures), scores)
    return scores


def test_description_metrics_judge_the_closest_event_when_none_matches() -> None:
    wrong_type = served(acled_event_type="Violence against civilians",
                        date={"start": "2024-08-05", "end": "2024-08-05", "precision": "day"})
    strike = served(acled_event_type="Explosions/Remote violence", lat=52.0)
    scores = description_scores([gold_event(date="2024-08-05")], [strike, wrong_type])
    assert scores.events.found == 0
    assert (scores.desc_found.right, scores.desc_type.right, scores.desc_place.right) == (1, 0, 1)
    nothing = description_scores([gold_event()], [])
    assert (nothing.desc_found.right, nothing.desc_type.total,
            nothing.desc_place.total) == (0, 1, 1)
    assert len(nothing.desc_found.misses) == 1 and not nothing.desc_type.misses


def test_no_killed_figure_where_none_died() -> None:
    killed = {"text": "two soldiers", "counts": "killed", "value": 2}
    wounded = {"text": "two soldiers", "counts": "wounded", "value": 2}
    assert description_scores([gold_event()], [served()], [wounded]).desc_no_killed.right == 1
    assert description_scores([gold_event()], [served()], [killed]).desc_no_killed.right == 0
    dead = description_scores([gold_event(fatalities=2)], [served()], [killed])
    assert dead.desc_no_killed.total == 0  # only asked where nobody died
    with_toll = served(fatalities=3)
    assert description_scores([], [with_toll]).desc_no_killed.right == 0


def test_evaluate_reports_events_and_description_metrics(tmp_path: Path) -> None:
    import shutil

    from app.evaluate import evaluate, report_lines

    source = Path(__file__).parent / "fixtures" / "descriptions"
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles").mkdir()
    for stem in ("001_wanlaweyn", "135_bannu_suicide", "198_naivasha_crash"):
        shutil.copy(source / "gold" / f"{stem}.json", tmp_path / "gold")
        shutil.copy(source / "articles" / f"{stem}.txt", tmp_path / "articles")
    total, per_article = evaluate(tmp_path / "gold", tmp_path / "articles")
    assert (total.events.gold, total.desc_found.total, total.no_events.total) == (3, 3, 1)
    assert total.dated.total == total.events.extracted + total.events.neutral
    report = "\n".join(report_lines(total, per_article))
    assert "events  " in report and "no killed where none died" in report

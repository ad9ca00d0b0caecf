"""Extraction work grows linearly with the text, whatever shape the text has.

Wall-clock time is noise on a shared machine, so the measure here is deterministic: the
number of function calls extraction makes (Python, and spaCy's Cython, which is built with
profiling hooks), counted with ``sys.setprofile``. Text four times longer must cost less
than 6 times the calls (linear is 4). Before the fix a sentence of numbers, one long
sentence, many short lines, a list of towns or a run-on name cost 8 to 15 times the calls
(quadratic and worse); seconds per KB up to 1 MB are in bench/RESULTS.md
(``bench/extraction_cost.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.extraction_cost import ALL_SHAPES

SMALL, LARGE = 2048, 8192
MAX_GROWTH = 6.0


def calls(text: str) -> int:
    """Function calls made while extracting ``text`` (read, parse, every extractor)."""
    from app.ingest.pipeline import extract

    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        extract(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    from app.ingest.pipeline import warm_up

    warm_up()  # loading the model once is not the work being measured


@pytest.mark.parametrize("shape", list(ALL_SHAPES))
def test_extraction_work_grows_linearly(shape: str) -> None:
    make: Callable[[int], str] = ALL_SHAPES[shape]
    small, large = calls(make(SMALL)), calls(make(LARGE))
    assert large / small < MAX_GROWTH, f"{shape}: {small} calls at 2 KB, {large} at 8 KB"


def test_hostile_text_keeps_its_figures() -> None:
    """Bounding the work does not drop what such a text says: every number of a 3.4 KB list
    "killed 1, 2, 3, ... 699 people" is still a killed figure, with the place."""
    from app.ingest.pipeline import extract

    draft = extract(ALL_SHAPES["number_list"](3400))
    values = sorted(f.value for f in draft.figures)
    assert values == [float(n) for n in range(1, len(values) + 1)] and len(values) > 600
    assert {f.counts for f in draft.figures} == {"killed"}
    assert [e.place.name for e in draft.events if e.place] == ["Kharkiv"]

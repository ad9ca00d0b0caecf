"""Flat rows and GeoJSON features from public shapes; no I/O.

CSV columns follow ACLED's names where an ACLED user would look for them (event_date,
time_precision, event_type, sub_event_type, actor1, actor2, country, admin1, location,
latitude, longitude, geo_precision, source, fatalities), so a frontwire export loads into
tools built for ACLED files. ``time_precision`` and ``geo_precision`` are ACLED's codes (1 is
the most precise); our own ``date_precision`` and ``place_kind`` stand beside them.
The same flat dict is a GeoJSON feature's properties (RFC 7946: [lon, lat] order, null
geometry for records without coordinates).

Every CSV cell a spreadsheet would run as a formula is neutralised as OWASP recommends
(CSV injection): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading ``'``. Numbers are left alone: numeric fields (``longitude`` -3.2,
a negative ``value``) are never text here, and a text cell that is a plain number ("-5")
is read as that number by a spreadsheet, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.queries import EventInContext, FigureInContext
from app.schemas import FigurePublic, PlacePublic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

EVENT_COLUMNS = (
    "event_id", "article_id", "event_date", "date_end", "date_precision", "time_precision",
    "date_text", "type", "event_type", "sub_event_type", "actor1", "actor2", "actors",
    "country", "admin1", "location", "place_id", "place_kind", "geo_precision", "latitude",
    "longitude", "geonames_id", "fatalities", "background", "incident_id", "source",
    "source_url", "figures", "mentions", "excerpt", "excerpt_start", "excerpt_end",
    "created_at", "updated_at",
)
# ACLED's time_precision: 1 the day is known, 2 the week (a ``reported`` date: on or shortly
# before publication), 3 the month or coarser. Unresolved dates have none.
TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "year": 3}
# ACLED's geo_precision: 1 a town or a point, 2 near a town or part of a region (our areas:
# a front, a sea), 3 a region (admin1) or only the country.
GEO_PRECISION = {"settlement": 1, "facility": 1, "border_crossing": 1, "area": 2,
                 "admin1": 3, "country": 3}
FIGURE_COLUMNS = (
    "figure_id", "article_id", "event_id", "value", "low", "high", "unit", "counts",
    "si_value", "si_unit", "claimant", "claimant_actor_id", "hedged", "hedge", "scope", "text",
    "start", "end", "event_date", "date_end", "date_precision", "country", "admin1",
    "location", "place_id", "latitude", "longitude", "excerpt", "excerpt_start",
    "excerpt_end", "created_at", "updated_at",
)


def event_row(item: EventInContext) -> dict[str, Any]:
    """One flat row per event; figures summarised as 'value unit counts (claimant)'."""
    event = item.event
    return {
        "event_id": event.id, "article_id": event.article_id,
        "event_date": event.date.start, "date_end": event.date.end,
        "date_precision": event.date.precision,
        "time_precision": TIME_PRECISION.get(event.date.precision)
        if event.date.start else None, "date_text": event.date.text,
        "type": event.type, "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "actors": "; ".join(f"{a.name} ({a.role})" for a in event.actors),
        **_place_columns(event.place),
        "fatalities": event.fatalities, "background": event.background,
        "incident_id": event.incident_id, "source": item.publisher, "source_url": item.url,
        "figures": "; ".join(_figure_summary(f) for f in event.figures),
        "mentions": len(event.mentions),
        "excerpt": event.excerpt.text, "excerpt_start": event.excerpt.start,
        "excerpt_end": event.excerpt.end,
        "created_at": event.created_at, "updated_at": event.updated_at,
    }


def _place_columns(place: PlacePublic | None) -> dict[str, Any]:
    if place is None:
        return dict.fromkeys(("country", "admin1", "location", "place_id", "place_kind",
                              "geo_precision", "latitude", "longitude", "geonames_id"))
    return {"country": place.country, "admin1": place.admin1, "location": place.name,
            "place_id": place.id, "place_kind": place.kind,
            "geo_precision": GEO_PRECISION.get(place.kind), "latitude": place.lat,
            "longitude": place.lon, "geonames_id": place.geonames_id}


def figure_row(item: FigureInContext) -> dict[str, Any]:
    """One flat row per figure, with its event's date and place."""
    figure, place, when = item.figure, item.place, item.date
    data = figure.model_dump(exclude={"id", "excerpt"})
    return {
        "figure_id": figure.id, **data,
        "event_date": when.start if when else None, "date_end": when.end if when else None,
        "date_precision": when.precision if when else None,
        "country": place.country if place else None, "admin1": place.admin1 if place else None,
        "location": place.name if place else None, "place_id": place.id if place else None,
        "latitude": place.lat if place else None, "longitude": place.lon if place else None,
        "excerpt": figure.excerpt.text, "excerpt_start": figure.excerpt.start,
        "excerpt_end": figure.excerpt.end,
    }


def _figure_summary(figure: FigurePublic) -> str:
    amount = _number(figure.value) if figure.value is not None else "-".join(
        _number(bound) for bound in (figure.low, figure.high) if bound is not None)
    claimant = f" ({figure.claimant})" if figure.claimant else ""
    return f"{amount} {figure.unit} {figure.counts}{claimant}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def csv_lines(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """RFC 4180 CSV (CRLF line ends, quoted when needed), a header then one line per row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_value(value) for key, value in row.items()})
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return neutralised(value)
    return value


def neutralised(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a formula-like start gets a leading '."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def geojson_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection, one Feature per row, streamed in chunks."""
    yield b'{"type":"FeatureCollection","features":['
    chunk: list[bytes] = []
    first = True
    for row in rows:
        feature = orjson.dumps(feature_of(row))
        chunk.append(feature if first else b"," + feature)
        first = False
        if len(chunk) >= 200:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk) + b"]}"


def feature_of(row: dict[str, Any]) -> dict[str, Any]:
    """A Feature: a Point at [longitude, latitude], or null geometry when unplaced."""
    lon, lat = row.get("longitude"), row.get("latitude")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if (
        lon is not None and lat is not None) else None
    identifier = row.get("event_id") if "figure_id" not in row else row["figure_id"]
    return {"type": "Feature", "id": identifier, "geometry": geometry, "properties": row}

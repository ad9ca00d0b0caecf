"""The query parameters every list, export and aggregation shares, parsed into ``Filters``.

Dependencies here are ``async def`` although they do no I/O: FastAPI runs a plain ``def``
dependency in the thread pool, a hop per request that costs more than the work.

Defined once so ``/v1/events``, ``/v1/figures``, ``/v1/claims`` and ``/v1/stats`` accept the
same language with the same documentation. Closed vocabularies (types, counts, units) are
enums, so a typo answers 422 listing the accepted values instead of an empty page.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, HTTPException, Query, Request
from pydantic import AfterValidator, Field, StringConstraints

from app import vocabulary
from app.queries import BBox, Filters, Near
from app.queries.paging import MAX_ID

CountryCode = Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}$")]
if TYPE_CHECKING:  # the Literals below are built from the vocabulary CSVs at import time
    EventType = str
    AcledType = str
    CountsValue = str
    UnitValue = str
    PlaceKind = str
    ActorKind = str
    ScopeValue = str
else:
    EventType = Literal[vocabulary.values("type")]
    AcledType = Literal[vocabulary.values("acled_event_type")]
    CountsValue = Literal[vocabulary.values("counts")]
    UnitValue = Literal[vocabulary.values("unit")]
    PlaceKind = Literal[vocabulary.values("place_kind")]
    ActorKind = Literal[vocabulary.values("actor_kind")]
    ScopeValue = Literal[vocabulary.values("scope")]

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
PAGE_MAX = 500
EXPORT_MAX = 1_000_000


def invalid(name: str, message: str) -> HTTPException:
    """A 422 in the same shape as FastAPI's own validation errors, naming the parameter."""
    return HTTPException(422, [{"loc": ["query", name], "msg": message, "type": "value_error"}])


async def known_parameters_only(request: Request) -> None:
    """An unknown query parameter is a 422 naming it and listing the accepted ones.

    Without this, `event_date=2024-08-06` or `fatalities=5` (ACLED's names) would be ignored
    and answer the whole unfiltered table. The accepted names are read from the operation's
    own OpenAPI parameters, so a parameter added to a route is accepted with no list to edit.
    Applies to the documented ``/v1`` operations (the contract); pages and docs are left alone.
    """
    accepted = _accepted_parameters(request)
    if accepted is None:
        return
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in accepted]
    if unknown:
        listed = ", ".join(sorted(accepted)) or "none"
        raise HTTPException(422, [{
            "loc": ["query", name[:100]], "type": "unknown_parameter",
            "msg": f"Unknown parameter {name[:100]!r}; this endpoint accepts: {listed}",
            "ctx": {"accepted": sorted(accepted)}} for name in unknown[:20]])


def _accepted_parameters(request: Request) -> frozenset[str] | None:
    path = getattr(request.scope.get("route"), "path_format", "")
    if not path.startswith("/v1/"):
        return None
    table = getattr(request.app.state, "query_parameters", None)
    if table is None:
        table = request.app.state.query_parameters = _query_parameters(request.app.openapi())
    return table.get((path, request.method.lower()))


def _query_parameters(spec: dict[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """(path, method) -> the names of its documented query parameters."""
    return {(path, method): frozenset(p["name"] for p in operation.get("parameters", [])
                                      if p.get("in") == "query")
            for path, item in spec.get("paths", {}).items()
            for method, operation in item.items() if isinstance(operation, dict)}


async def no_nul_characters(request: Request) -> None:
    """No query value may hold a NUL: PostgreSQL text cannot, so it could never match."""
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise invalid(name, "must not contain NUL (\\x00) characters")


def _many(description: str, example: Any) -> Any:
    return Query(description=f"{description}. Repeat the parameter to OR values.",
                 examples=[example])


def filter_params(
    article_id: Annotated[list[RecordId], _many("Article id", [1])] = [],  # noqa: B006
    event_id: Annotated[list[RecordId], _many("Event id", [12])] = [],  # noqa: B006
    country: Annotated[list[CountryCode], _many(
        "Country of the place, ISO 3166-1 alpha-2 (any case)", ["UA"])] = [],  # noqa: B006
    admin1: Annotated[list[str], _many(
        "First-level division, exact name (any case)", ["Kursk Oblast"])] = [],  # noqa: B006
    place: Annotated[list[str], _many("Place id or exact name (any case)", ["Kursk"])] = [],  # noqa: B006
    actor: Annotated[list[str], _many(
        "Actor id, exact name or dictionary alias (any case): 'Kremlin' finds Russia",
        ["Ukraine"])] = [],  # noqa: B006
    type: Annotated[list[EventType], _many("frontwire event type", ["ground_assault"])] = [],  # noqa: B006
    acled_event_type: Annotated[list[AcledType], _many(
        "Nearest ACLED event type", ["Battles"])] = [],  # noqa: B006
    counts: Annotated[list[CountsValue], _many(
        "What a figure counts (events: having such a figure)", ["killed"])] = [],  # noqa: B006
    unit: Annotated[list[UnitValue], _many("A figure's unit", ["km2"])] = [],  # noqa: B006
    claimant: Annotated[list[str], _many(
        "Who claims a figure: exact claimant text, actor name or id", ["Telegram"])] = [],  # noqa: B006
    incident_id: Annotated[list[RecordId], _many(
        "Cross-article incident id (events: of the incident)", [3])] = [],  # noqa: B006
    fatalities_min: Annotated[int | None, Query(
        ge=0, le=MAX_ID, description="Events that caused at least this many deaths "
                                     "(their `fatalities`); figures: of such events",
        examples=[10])] = None,
    include_background: Annotated[bool, Query(
        description="Keep background events (recalled from more than 30 days before "
                    "publication), which event lists, exports and stats leave out by default "
                    "(a list of one article's events, `article_id`, keeps them); figure lists "
                    "show every figure either way", examples=[False])] = False,
    hedged: Annotated[bool | None, Query(
        description="Only hedged (true) or firm (false) figures", examples=[True])] = None,
    min_value: Annotated[float | None, Query(
        description="Figures reaching at least this (value, else upper bound)",
        examples=[100])] = None,
    max_value: Annotated[float | None, Query(
        description="Figures not above this (value, else lower bound)", examples=[1000])] = None,
    date_from: Annotated[date | None, Query(
        description="Dates overlapping from this day on (YYYY-MM-DD); undated excluded",
        examples=["2024-08-01"])] = None,
    date_to: Annotated[date | None, Query(
        description="Dates overlapping up to this day (YYYY-MM-DD); undated excluded",
        examples=["2024-08-31"])] = None,
    include_undated: Annotated[bool, Query(
        description="With date_from/date_to, keep records whose date is unknown",
        examples=[False])] = False,
    q: Annotated[str | None, Query(
        min_length=1, max_length=500, examples=['"border crossing" OR checkpoint -drone'],
        description="Full-text search over excerpts: words (stemmed, all required), "
                    "\"quoted phrases\", OR, -excluded")] = None,
    bbox: Annotated[str | None, Query(
        description="min_lon,min_lat,max_lon,max_lat (WGS 84, RFC 7946 order)",
        examples=["33.0,50.0,37.5,52.5"])] = None,
    near: Annotated[str | None, Query(
        description="lat,lon: places within radius_km of this point", examples=["51.73,36.19"])
    ] = None,
    radius_km: Annotated[float, Query(
        gt=0, le=20_000, description="Radius for near, in km", examples=[50])] = 25.0,
    updated_since: Annotated[UtcDateTime | None, Query(
        description="Records created or changed at or after this ISO 8601 time (UTC if no "
                    "offset)", examples=["2026-01-01T00:00:00Z"])] = None,
) -> Filters:
    if date_from and date_to and date_from > date_to:
        raise invalid("date_from", f"{date_from} is after date_to {date_to}")
    return Filters(
        article_id=article_id, event_id=event_id, country=country, admin1=admin1,
        place=place, actor=actor, type=type, acled_event_type=acled_event_type,
        counts=counts, unit=unit, claimant=claimant, incident_id=incident_id,
        fatalities_min=fatalities_min, include_background=include_background,
        hedged=hedged, min_value=min_value,
        max_value=max_value, date_from=date_from, date_to=date_to,
        include_undated=include_undated, q=q, bbox=parse_bbox(bbox),
        near=parse_near(near, radius_km), updated_since=updated_since,
    )


FiltersDep = Annotated[Filters, Depends(filter_params)]


def scoped_filter_params(
    filters: FiltersDep,
    scope: Annotated[list[ScopeValue], _many(
        "A figure's scope: event (this occurrence), cumulative (a war's toll), breakdown "
        "(part of a total stated), context (population, distance, weapon specifications). "
        "Events: having such a figure; stats: sum these instead of event figures only",
        ["event"])] = [],  # noqa: B006
) -> Filters:
    """The shared filters plus a figure's ``scope``: apart because ``/v1/claims`` has a
    ``scope`` of its own (place|admin1|country, how claims are grouped)."""
    return replace(filters, scope=scope) if scope else filters


ScopedFiltersDep = Annotated[Filters, Depends(scoped_filter_params)]


def parse_bbox(value: str | None) -> BBox | None:
    if value is None:
        return None
    numbers = _floats(value, 4, "bbox", "min_lon,min_lat,max_lon,max_lat")
    box = BBox(*numbers)
    if not all(-180 <= lon <= 180 for lon in (box.min_lon, box.max_lon)):
        raise invalid("bbox", "longitudes must lie in [-180, 180]")
    if not all(-90 <= lat <= 90 for lat in (box.min_lat, box.max_lat)):
        raise invalid("bbox", "latitudes must lie in [-90, 90]")
    if box.min_lat > box.max_lat:
        raise invalid("bbox", "min_lat must not exceed max_lat")
    return box


def parse_near(value: str | None, radius_km: float) -> Near | None:
    if value is None:
        return None
    lat, lon = _floats(value, 2, "near", "lat,lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise invalid("near", "lat must lie in [-90, 90] and lon in [-180, 180]")
    return Near(lat, lon, radius_km)


def _floats(value: str, count: int, name: str, form: str) -> list[float]:
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise invalid(name, f"expected {count} comma-separated numbers: {form}")
    return numbers


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC (UTC assumed without an offset), or a ValueError (422) when the
    conversion leaves datetime's range: 9999-12-31T23:59:59-23:00 is in year 10000 in UTC.

    Stored times are UTC; comparing them with a time in another offset without converting
    would compare wall clocks (SQLite stores them as text).
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC (years 1 to 9999)") from None


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]


CountQuery = Annotated[bool, Query(
    description="Also count every matching record: `total` in the body and X-Total-Count",
    examples=[True])]

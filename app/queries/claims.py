"""The claims ledger: figures that measure the same thing, side by side.

Two figures are claims about the same thing when they count the same quantity (``counts``)
in the same dimension (SI unit, else unit), about the same place (or, by ``scope``, the
same admin1 region or country; a figure whose event has no place stands alone with its
event), over overlapping dates (undated figures form one group per anchor). Each group
lists every claimant's value, hedge, date and excerpt, so "Kyiv says 1,000 km2, Moscow says
500" reads at a glance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from sqlmodel import Session, col, select

from app.models import Event, Figure, Place
from app.queries.figures import figure_public
from app.queries.filters import Filters, figure_conditions
from app.queries.paging import PageResult, cursor_payload, encode_cursor
from app.schemas import ClaimGroup, ClaimPublic, DatePublic, PlacePublic

Row = tuple[Figure, Event, Place | None]


def list_claims(session: Session, *, filters: Filters, scope: str, min_claims: int,
                contested: bool | None, limit: int, cursor: str | None = None) -> PageResult:
    """Pages of claim groups in key order; a group spans figures of several articles."""
    groups = [g for g in _groups(session, filters, scope)
              if len(g.claims) >= min_claims and (contested is None or g.contested == contested)]
    groups.sort(key=lambda g: g.key)
    if cursor:
        last_key = cursor_payload(cursor).get("k", "")
        groups = [g for g in groups if g.key > last_key]
    page = groups[:limit]
    more = len(groups) > limit
    return PageResult(items=page, next_cursor=encode_cursor(0, key=page[-1].key) if more else None)


def _groups(session: Session, filters: Filters, scope: str) -> Iterator[ClaimGroup]:
    conditions = figure_conditions(session, filters)
    if not filters.counts:  # "other" numbers are unlike each other: never grouped by default
        conditions.append(col(Figure.counts) != "other")
    rows = session.exec(
        select(Figure, Event, Place).join(Event, col(Event.id) == col(Figure.event_id))
        .outerjoin(Place, col(Place.id) == col(Event.place_id)).where(*conditions)
        .order_by(col(Figure.id))).all()
    by_anchor: dict[str, list[Row]] = defaultdict(list)
    for figure, event, place in rows:
        by_anchor[_anchor_key(figure, event, place, scope)].append((figure, event, place))
    for anchor, members in by_anchor.items():
        for cluster in _overlapping(members):
            yield _group(anchor, cluster, scope)


def _anchor_key(figure: Figure, event: Event, place: Place | None, scope: str) -> str:
    measure = figure.si_unit or figure.unit
    if place is not None and scope == "country" and place.country:
        where = f"country:{place.country}"
    elif place is not None and scope == "admin1" and place.country and place.admin1:
        where = f"admin1:{place.country}:{place.admin1}"
    elif place is not None:
        where = f"place:{place.id}"
    else:
        where = f"event:{event.id}"
    # a war's toll and one strike's dead are not claims about the same thing (keys of event
    # figures stay as they were: clients may hold them)
    about = "" if figure.scope == "event" else f"|{figure.scope}"
    return f"{figure.counts}|{measure}|{where}{about}"


def _overlapping(members: list[Row]) -> Iterator[list[Row]]:
    """Clusters of figures whose event dates overlap (chained); undated ones together."""
    undated = [m for m in members if m[1].date_start is None]
    dated = sorted((m for m in members if m[1].date_start is not None),
                   key=lambda m: (m[1].date_start, m[0].id))
    cluster: list[Row] = []
    cluster_end: date | None = None
    for member in dated:
        start, end = member[1].date_start, member[1].date_end or member[1].date_start
        if cluster and cluster_end is not None and start is not None and start > cluster_end:
            yield cluster
            cluster, cluster_end = [], None
        cluster.append(member)
        cluster_end = end if cluster_end is None or (end and end > cluster_end) else cluster_end
    if cluster:
        yield cluster
    if undated:
        yield undated


def _group(anchor: str, members: list[Row], scope: str) -> ClaimGroup:
    first_figure, first_event, first_place = members[0]
    starts = [e.date_start for _, e, _ in members if e.date_start]
    ends = [e.date_end or e.date_start for _, e, _ in members if e.date_start]
    claims = [_claim(f, e) for f, e, _ in members]
    amounts = [a for c in claims for a in (_central(c), c.low, c.high) if a is not None]
    claimants = sorted({c.claimant or "" for c in claims})
    return ClaimGroup(
        key=f"{anchor}|{min(starts).isoformat() if starts else 'undated'}",
        counts=first_figure.counts, measure=first_figure.si_unit or first_figure.unit,
        scope=scope if first_place is not None else "event",
        place=PlacePublic.model_validate(first_place, from_attributes=True)
        if first_place is not None and scope == "place" else None,
        country=first_place.country if first_place is not None else None,
        event_id=first_event.id if first_place is None else None,
        date_start=min(starts) if starts else None, date_end=max(ends) if ends else None,
        claimants=[c or None for c in claimants],
        contested=len(claimants) > 1 and len({_amount(c) for c in claims}) > 1,
        min_value=min(amounts) if amounts else None, max_value=max(amounts) if amounts else None,
        claims=claims,
    )


def _claim(figure: Figure, event: Event) -> ClaimPublic:
    return ClaimPublic(**figure_public(figure).model_dump(),
                       date=DatePublic(start=event.date_start, end=event.date_end,
                                       precision=event.date_precision, text=event.date_text))


def _central(claim: ClaimPublic) -> float | None:
    return claim.si_value if claim.si_value is not None else claim.value


def _amount(claim: ClaimPublic) -> tuple[float | None, float | None, float | None]:
    return (_central(claim), claim.low, claim.high)

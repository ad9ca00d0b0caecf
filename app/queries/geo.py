"""Spatial filters: a bounding box (RFC 7946 order) and a radius around a point.

Places are few (thousands, not millions), so ``near`` narrows them in SQL with a degree box
and finishes with the exact great-circle distance in Python: no spatial extension needed on
SQLite, and the same answer on PostgreSQL.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.geodesy import EARTH_RADIUS_KM, haversine_km
from app.models import Place

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


class BBox(NamedTuple):
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class Near(NamedTuple):
    lat: float
    lon: float
    radius_km: float


def bbox_condition(box: BBox) -> Any:
    """Places inside ``box``; a box whose min_lon > max_lon crosses the antimeridian."""
    lat = and_(col(Place.lat) >= box.min_lat, col(Place.lat) <= box.max_lat)
    if box.min_lon <= box.max_lon:
        lon = and_(col(Place.lon) >= box.min_lon, col(Place.lon) <= box.max_lon)
    else:
        lon = or_(col(Place.lon) >= box.min_lon, col(Place.lon) <= box.max_lon)
    return and_(lat, lon)


def near_box(near: Near) -> BBox:
    """A degree box that surely contains the circle (wider towards the poles)."""
    dlat = near.radius_km / KM_PER_DEGREE
    cos_lat = math.cos(math.radians(min(89.0, abs(near.lat) + dlat)))
    dlon = min(180.0, near.radius_km / (KM_PER_DEGREE * max(cos_lat, 1e-6)))
    min_lon, max_lon = near.lon - dlon, near.lon + dlon
    if dlon >= 180.0:
        min_lon, max_lon = -180.0, 180.0
    return BBox(_wrap(min_lon), max(-90.0, near.lat - dlat), _wrap(max_lon),
                min(90.0, near.lat + dlat))


def _wrap(lon: float) -> float:
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def place_ids_near(session: Session, near: Near) -> list[int]:
    """Ids of the places within the circle: degree box in SQL, exact distance here."""
    rows = session.exec(select(Place.id, Place.lat, Place.lon).where(
        bbox_condition(near_box(near)))).all()
    return [place_id for place_id, lat, lon in rows
            if place_id is not None and lat is not None and lon is not None
            and haversine_km(near.lat, near.lon, lat, lon) <= near.radius_km]

"""Distances on the globe: one Earth radius and one haversine for every part of frontwire.

The place resolver (distance to the article's anchors), the query layer (``near`` filters,
degrees per km) and the scorer (a place within 50 km of the gold) must agree on what a
kilometre is, so they share this module. The radius is the IUGG mean Earth radius.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))

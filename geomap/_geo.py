"""Small spherical-geometry helpers for the hot paths of resolution.

geopy's distances are the reference (and what user-facing filters use), but
``great_circle`` costs about 80% of parse time when every candidate is scored
against every anchor of an article; the scoring needs only km-level accuracy,
which the haversine formula on a sphere gives directly.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean radius, as geopy uses


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


_THEATRE_LAT0 = math.radians(48.5)  # the projection's centre: km-accurate to a few % over Ukraine
_KM_PER_DEG = 111.2


def theatre_xy(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular km coordinates centred on Ukraine, for shapely distances in km."""
    return lon * math.cos(_THEATRE_LAT0) * _KM_PER_DEG, lat * _KM_PER_DEG

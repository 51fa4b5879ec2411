"""How far a point lies outside a named oblast, from the gazetteer's simplified oblast outlines.

The resolver asks it when a text qualifies a name with an oblast ("Logvinovo, Luhansk") and the
only places of that name lie in another one: a village just across the line (sources disagree
on where the oblast line runs through occupied land) is still what the text means; one 300 km
away is not.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.prepared import prep

from geomap._geo import theatre_xy


def _to_km(coords: np.ndarray) -> np.ndarray:
    """(lon, lat) rows -> :func:`theatre_xy` rows."""
    x, y = theatre_xy(coords[:, 1], coords[:, 0])
    return np.column_stack([x, y])


class OblastOutlines:
    """The oblast polygons of a gazetteer's ``adm1`` layer, in km, by canonical admin1 name.

    Parameters
    ----------
    layer : dict or None
        The GeoJSON FeatureCollection of :meth:`Gazetteer.boundaries` ``("adm1")``; its
        features' ``name`` property is the canonical admin1. None (no layer built) knows no oblast.
    """

    def __init__(self, layer: dict[str, Any] | None) -> None:
        self._shapes: dict[str, Any] = {}
        for f in (layer or {}).get("features", []):
            name = (f.get("properties") or {}).get("name")
            if name and f.get("geometry"):
                geom = shapely.transform(shape(f["geometry"]), _to_km)
                self._shapes[name] = (geom, prep(geom))

    def km_outside(self, admin1: str, lat: float, lon: float) -> float:
        """Km from the point to the oblast's outline (0 inside it; ``inf`` for an unknown oblast)."""
        entry = self._shapes.get(admin1)
        if entry is None:
            return math.inf
        geom, prepared = entry
        p = Point(theatre_xy(lat, lon))
        return 0.0 if prepared.contains(p) else float(geom.distance(p))

"""Distance to the lines of contact of the article's date (gazetteer/context/frontline.tsv).

A conflict map's ambiguous village names are, far more often than not, the
villages where the war was being fought: "shelling near Vodyane" in a January
2022 report is the Vodyane on the Donbas line of contact, not one of its
namesakes 400 km behind it. Lines carry the period they were active in, so
a March 2022 "Andriivka" may be the one west of Kyiv and a 2023 one the one
south of Bakhmut. The resolver uses the distance as a prior that context
outweighs.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from geomap import config
from geomap._geo import theatre_xy as _xy


@lru_cache(maxsize=1)
def _lines() -> tuple[tuple[date, date, LineString], ...]:
    path = config.CURATED_DIR / "context" / "frontline.tsv"
    if not path.exists():
        return ()
    vertices: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, start, end, lat, lon, *_ = line.split("\t")
        vertices.setdefault((name, start, end), []).append(_xy(float(lat), float(lon)))
    out = []
    for (_name, start, end), pts in vertices.items():
        geom = LineString(pts if len(pts) > 1 else pts * 2)
        out.append((date.fromisoformat(start), date.fromisoformat(end) if end else date.max, geom))
    return tuple(out)


#: Sets of active line indices, each with its period id (its index in _PERIOD_SETS).
_PERIODS: dict[tuple[int, ...], int] = {}
_PERIOD_SETS: list[tuple[int, ...]] = []


@lru_cache(maxsize=4096)
def front_period(when: date | None) -> int:
    """A small id for the set of lines active on ``when`` (all lines if None).

    Lines change a few times a year while articles carry a new date each day: distances
    cached per period, not per date, are computed once per place for months of news.
    """
    active = tuple(i for i, (start, end, _g) in enumerate(_lines()) if when is None or start <= when <= end)
    if active not in _PERIODS:
        _PERIODS[active] = len(_PERIOD_SETS)
        _PERIOD_SETS.append(active)
    return _PERIODS[active]


@lru_cache(maxsize=64)
def _period_geoms(period: int) -> np.ndarray:
    """The active lines of a period as an array of geometries (for one vectorised distance)."""
    lines = _lines()
    return np.array([lines[i][2] for i in _PERIOD_SETS[period]], dtype=object)


@lru_cache(maxsize=400_000)
def km_to_front_in(lat: float, lon: float, period: int) -> float:
    """:func:`km_to_front` for a period of :func:`front_period`."""
    geoms = _period_geoms(period)
    if not len(geoms):
        return math.inf
    return float(shapely.distance(geoms, Point(_xy(lat, lon))).min())


def km_to_front(lat: float, lon: float, when: date | None = None) -> float:
    """Approximate km from a point to the nearest line of contact active on ``when`` (any line if None).

    Returns ``inf`` when no line is known for that date.
    """
    return km_to_front_in(lat, lon, front_period(when))

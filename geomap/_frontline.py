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


@lru_cache(maxsize=400_000)
def km_to_front(lat: float, lon: float, when: date | None = None) -> float:
    """Approximate km from a point to the nearest line of contact active on ``when`` (any line if None).

    Returns ``inf`` when no line is known for that date.
    """
    p = Point(_xy(lat, lon))
    best = math.inf
    for start, end, geom in _lines():
        if when is not None and not (start <= when <= end):
            continue
        best = min(best, geom.distance(p))
    return best

"""geomap: news articles about the war in Ukraine to an offline conflict map.

Public API
----------
parse(source)            place mentions and ACLED-typed events of articles
build_site(inputs, out)  the static map site
Gazetteer                the bundled gazetteer (geopy-compatible ``geocode``)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Gazetteer", "build_site", "parse", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from geomap.gazetteer import Gazetteer
    from geomap.pipeline import build_site, parse


def __getattr__(name: str) -> Any:
    # Lazy: `import geomap` stays cheap (the CLI's cold start matters).
    if name == "Gazetteer":
        from geomap.gazetteer import Gazetteer

        return Gazetteer
    if name in ("parse", "build_site"):
        from geomap import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)

"""The map page (``index.html``): folium and its plugins, one element per file.

Private to :mod:`geomap.render`, and imported only when the page must be rendered: a
rebuild whose layers did not change reuses the previous page and never imports folium.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import folium
from branca.element import Element

from geomap.render.area_layer import AreaEventLayer
from geomap.render.basemap import BoundaryLayer
from geomap.render.controls import GeomapCore, GeomapStart
from geomap.render.event_layer import EventTypeLayer
from geomap.render.heat_layer import EventHeatLayer
from geomap.render.offline_map import LocalFullscreen, OfflineMap


@contextlib.contextmanager
def deterministic_ids(prefix: str = "gm") -> Iterator[None]:
    """Make branca/folium element ids a counter while the block runs.

    folium names every JS variable after a random hex id (``map_3f2a...``);
    two builds of the same inputs would differ. ``Element._generate_id`` is
    the single seam, so we swap it for a counter and put it back.
    """
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):05d}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def build_map(data: dict[str, Any], has_boundaries: bool) -> str:
    """Assemble the folium page.

    Parameters
    ----------
    data : dict
        The page data (only its layers are used here; the rest is loaded from ``data/events.js``).
    has_boundaries : bool
        Show the offline borders layer.

    Returns
    -------
    str
        The HTML of ``index.html``.
    """
    with deterministic_ids():
        # tiles=None drops folium's max_zoom, and marker clustering then throws
        # "Map has no maxZoom specified": pass maxZoom to Leaflet explicitly.
        m = OfflineMap(
            location=[48.6, 31.3],
            zoom_start=6,
            tiles=None,
            maxZoom=18,
            minZoom=3,
            control_scale=True,
            prefer_canvas=False,
            font_size="0.8rem",
        )
        root = m.get_root()
        root.title = "geomap · conflict map"
        # An empty icon stops the browser asking the server for /favicon.ico.
        root.header.add_child(Element('<link rel="icon" href="data:,">'), name="favicon")
        root.header.add_child(Element('<meta name="referrer" content="no-referrer">'), name="referrer")
        GeomapCore(["data/events.js", "data/boundaries.js", "data/search.js"]).add_to(m)
        BoundaryLayer(
            show=has_boundaries, label="Borders (offline; Crimea in Ukraine, UNGA res. 68/262)"
        ).add_to(m)
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap tiles (online only)",
            overlay=True,
            show=False,
            control=True,
            max_zoom=18,
        ).add_to(m)
        AreaEventLayer().add_to(m)
        for i, layer in enumerate(data["layers"]):
            EventTypeLayer(i, layer["label"], show=layer["show"]).add_to(m)
        EventHeatLayer().add_to(m)
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
        LocalFullscreen(position="topleft").add_to(m)
        GeomapStart().add_to(m)
        return m.get_root().render()

"""folium Map and Fullscreen pointed at local assets instead of CDNs."""

from __future__ import annotations

from folium import Map
from folium.plugins import Fullscreen

from geomap.render.assets import CSS, JS


class OfflineMap(Map):
    """A folium Map that loads only Leaflet, from ``assets/`` (no jQuery/Bootstrap/awesome-markers)."""

    default_js = JS["map"]
    default_css = CSS["map"]


class LocalFullscreen(Fullscreen):
    """folium's Fullscreen control with the vendored leaflet.fullscreen."""

    default_js = JS["fullscreen"]
    default_css = CSS["fullscreen"]

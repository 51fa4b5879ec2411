"""Render stage: the offline folium map site (see :mod:`geomap.render.site`)."""

from geomap.render.assets import ensure_assets
from geomap.render.escape import html_attr, html_text, js_string, json_for_script, safe_url
from geomap.render.site import render_site

__all__ = [
    "ensure_assets",
    "html_attr",
    "html_text",
    "js_string",
    "json_for_script",
    "render_site",
    "safe_url",
]

"""Heat-map layer over the currently visible point events."""

from __future__ import annotations

from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geomap.render.assets import CSS, JS
from geomap.render.escape import html_text


class EventHeatLayer(JSCSSMixin, Layer):
    """A leaflet.heat layer that follows the date filter and layer toggles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geomap.heatLayer();
        {% endmacro %}
        """
    )
    default_js = JS["heat"]
    default_css = CSS["heat"]

    def __init__(self, label: str = "Heat map (visible point events)", show: bool = False) -> None:
        super().__init__(name=html_text(label), overlay=True, control=True, show=show)
        self._name = "EventHeatLayer"

"""Offline base map: country and oblast outlines from the boundary files."""

from __future__ import annotations

from folium.map import Layer
from folium.template import Template

from geomap.render.escape import html_text


class BoundaryLayer(Layer):
    """Country fills and oblast outlines drawn from ``GEOMAP_BOUNDARIES`` on a canvas."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geomap.boundaryLayer();
        {% endmacro %}
        """
    )

    def __init__(self, label: str = "Borders (offline)", show: bool = True) -> None:
        super().__init__(name=html_text(label), overlay=True, control=True, show=show)
        self._name = "BoundaryLayer"

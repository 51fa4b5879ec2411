"""Oblast-level events drawn as shaded oblast polygons, never as pins."""

from __future__ import annotations

from folium.map import Layer
from folium.template import Template

from geomap.render.escape import html_text


class AreaEventLayer(Layer):
    """Shades each oblast that has oblast-level (geo_precision 3) reports.

    The polygons come from ``GEOMAP_BOUNDARIES.adm1``; ``geomap.js`` rebuilds
    them when the date filter or the type layers change.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geomap.areaLayer();
        {% endmacro %}
        """
    )

    def __init__(self, label: str = "Oblast-level reports (shaded)", show: bool = True) -> None:
        super().__init__(name=html_text(label), overlay=True, control=True, show=show)
        self._name = "AreaEventLayer"

"""One clustered layer per event type, filled client-side from data/events.js."""

from __future__ import annotations

from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geomap.render.assets import CSS, JS
from geomap.render.escape import html_text


class EventTypeLayer(JSCSSMixin, Layer):
    """A marker-cluster layer for the events of one layer index.

    Markers and popups are built by ``geomap.js`` from arrays (the
    FastMarkerCluster approach): one folium Marker per event is far too slow
    at 50k events.

    Parameters
    ----------
    index : int
        Index of the layer in the page data (``GEOMAP_DATA.layers``).
    label : str
        Name shown in the layer control (HTML-escaped here: Leaflet's layer
        control inserts names with innerHTML).
    show : bool
        Whether the layer is on when the page opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geomap.typeLayer({{ this.index }});
        {% endmacro %}
        """
    )
    default_js = JS["cluster"]
    default_css = CSS["cluster"]

    def __init__(self, index: int, label: str, show: bool = True) -> None:
        super().__init__(name=html_text(label), overlay=True, control=True, show=show)
        self._name = "EventTypeLayer"
        self.index = int(index)

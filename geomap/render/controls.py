"""The page's own script: attached first, started after the layer control."""

from __future__ import annotations

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geomap.render.assets import CSS, JS


class GeomapCore(JSCSSMixin, MacroElement):
    """Loads the data scripts and ``geomap.js`` and attaches them to the map.

    Parameters
    ----------
    data_scripts : list of str
        Site-relative paths of the data files (``data/events.js`` ...), loaded
        as classic scripts because a page opened as file:// cannot fetch().
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            geomap.attach({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_css = CSS["geomap"]

    def __init__(self, data_scripts: list[str]) -> None:
        super().__init__()
        self._name = "GeomapCore"
        self.default_js = [(p.rsplit("/", 1)[-1], p) for p in data_scripts] + JS["geomap"]


class GeomapStart(MacroElement):
    """Builds markers, controls (time, search, legend, panel) and applies the filters."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            geomap.start();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeomapStart"

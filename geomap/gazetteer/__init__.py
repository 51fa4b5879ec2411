"""The gazetteer: build an offline index from raw sources and look places up in it.

>>> from geomap.gazetteer import Gazetteer
>>> gaz = Gazetteer.load()                     # doctest: +SKIP
>>> gaz.search("Kupyansk")[0].place.name       # doctest: +SKIP
'Kupiansk'
"""

from geomap.gazetteer.build import build_gazetteer
from geomap.gazetteer.index import Gazetteer, GazetteerNotBuilt

__all__ = ["Gazetteer", "GazetteerNotBuilt", "build_gazetteer"]

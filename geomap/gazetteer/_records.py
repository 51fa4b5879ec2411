"""The place record under construction and the code tables every build step shares.

Private to :mod:`geomap.gazetteer`: :mod:`geomap.gazetteer.build` assembles
:class:`Rec` objects from the sources, and :mod:`geomap.gazetteer._write` turns
them into the index.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geomap._text import norm_key as _norm_key

#: GeoNames admin1 codes of Ukraine -> ISO 3166-2.
GEONAMES_UA_ADMIN1_ISO = {
    "01": "UA-71",
    "02": "UA-74",
    "03": "UA-77",
    "04": "UA-12",
    "05": "UA-14",
    "06": "UA-26",
    "07": "UA-63",
    "08": "UA-65",
    "09": "UA-68",
    "10": "UA-35",
    "11": "UA-43",
    "12": "UA-30",
    "13": "UA-32",
    "14": "UA-09",
    "15": "UA-46",
    "16": "UA-48",
    "17": "UA-51",
    "18": "UA-53",
    "19": "UA-56",
    "20": "UA-40",
    "21": "UA-59",
    "22": "UA-61",
    "23": "UA-05",
    "24": "UA-07",
    "25": "UA-21",
    "26": "UA-23",
    "27": "UA-18",
}
#: KATOTTH oblast codes that differ from ISO 3166-2 (see SOURCES.md).
KATOTTH_TO_ISO = {"01": "43", "44": "09", "73": "77", "80": "30", "85": "40"}

#: GeoNames admin1 codes of Russia -> (ACLED-style admin1, ISO 3166-2, postal-file admin name).
#: Checked against the postal file's admin names (codes of cities500 vs nearby postal places).
GEONAMES_RU_ADMIN1 = {
    "09": ("Belgorod", "RU-BEL", "Белгородская Область"),
    "10": ("Bryansk", "RU-BRY", "Брянская Область"),
    "41": ("Kursk", "RU-KRS", "Курская Область"),
    "86": ("Voronezh", "RU-VOR", "Воронежская Область"),
    "61": ("Rostov", "RU-ROS", "Ростовская Область"),
    "38": ("Krasnodar", "RU-KDA", "Краснодарский Край"),
    "47": ("Moscow Oblast", "RU-MOS", "Московская Область"),
    "48": ("Moscow", "RU-MOW", "Москва"),
    "56": ("Oryol", "RU-ORL", "Орловская Область"),
    "69": ("Smolensk", "RU-SMO", "Смоленская Область"),
    "25": ("Kaluga", "RU-KLU", "Калужская Область"),
    "76": ("Tula", "RU-TUL", "Тульская Область"),
    "43": ("Lipetsk", "RU-LIP", "Липецкая Область"),
    "72": ("Tambov", "RU-TAM", "Тамбовская Область"),
    "84": ("Volgograd", "RU-VGG", "Волгоградская Область"),
    "67": ("Saratov", "RU-SAR", "Саратовская Область"),
    "42": ("Leningrad", "RU-LEN", "Ленинградская Область"),
    "66": ("Saint Petersburg", "RU-SPE", "Санкт-Петербург"),
}
#: Russian regions whose small places we keep from the postal file and skeleton-index
#: (those bordering Ukraine or close to the front, within ~600 km).
RU_NEAR_ADMIN1 = {
    "Belgorod",
    "Bryansk",
    "Kursk",
    "Voronezh",
    "Rostov",
    "Krasnodar",
    "Oryol",
    "Lipetsk",
    "Smolensk",
    "Kaluga",
    "Tula",
    "Tambov",
    "Volgograd",
}
#: Postal-file admin name -> ACLED-style admin1.
RU_POSTAL_ADMIN = {v[2]: v[0] for v in GEONAMES_RU_ADMIN1.values()}

#: Ukraine's neighbours get a mild prior over the rest of the world.
NEIGHBOURS = {"RU", "BY", "MD", "PL", "RO", "HU", "SK"}

#: GeoNames populated-place codes that are not the living place itself.
MINOR_PPL = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}

OFFICIAL = 1.0
#: GeoNames alternate names mix current forms with archaic ones ("Oleksandrivka" for Donetsk):
#: below every official and generated form.
ALTERNATE = 0.8
#: Quality of hand-written (curated) names.
CURATED = 0.95
MERGE_RADIUS_KM = 5.0


@dataclass(slots=True)
class Rec:
    """A place under construction.

    Attributes
    ----------
    aliases : dict
        alias -> (scheme, quality); :meth:`add` keeps the best quality per alias.
    skeleton : bool
        Index phonetic skeletons of the Latin aliases (Ukraine and near Russia).
    world : bool
        World layer: only few names enter the recognition automaton.
    penalty : float
        Alias quality factor (sections, historical places).
    """

    place_id: str
    name: str
    lat: float
    lon: float
    feature: str
    cc: str
    admin1: str | None = None
    admin1_code: str | None = None
    admin2: str | None = None
    hromada: str | None = None
    population: int = 0
    name_uk: str | None = None
    name_ru: str | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, tuple[str, float]] = field(default_factory=dict)
    skeleton: bool = False
    world: bool = False
    penalty: float = 1.0

    def add(self, alias: str | None, scheme: str, quality: float, *, exact_quality: bool = False) -> None:
        """Add a name form, keeping the better quality when it is already known.

        Parameters
        ----------
        alias : str or None
            The name; empty, blank and over-long (> 80 characters) names are ignored.
        scheme : str
            Where the form comes from ("official", "alternate", "curated", a romanization scheme).
        quality : float
            0-1; multiplied by :attr:`penalty` unless ``exact_quality``.
        exact_quality : bool
            Take ``quality`` as it is (curated rows know best).
        """
        if not alias:
            return
        alias = unicodedata.normalize("NFC", alias.strip())
        if not alias or len(alias) > 80:
            return
        # Sections and abandoned places rank below the living town, unless a curated row says otherwise.
        q = round(quality if exact_quality else quality * self.penalty, 3)
        old = self.aliases.get(alias)
        if old is None or old[1] < q:
            self.aliases[alias] = (scheme, q)


#: Stores a new place under a counter name (the builder's ``put``).
Put = Callable[[Rec, str], Rec]

#: Alias strings repeat across places and steps: cache their keys for the build.
norm_key = lru_cache(maxsize=1 << 21)(_norm_key)



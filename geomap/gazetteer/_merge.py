"""Merging sources: HDX settlements and GeoNames RU postal places onto existing places,
oblast polygons, and admin1 assignment by point-in-polygon.

Private to :mod:`geomap.gazetteer`. Two records are the same place when they share
a name key and lie within :data:`~geomap.gazetteer._records.MERGE_RADIUS_KM`.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any

from geomap._geo import haversine_km
from geomap.gazetteer import _sources as src
from geomap.gazetteer._aliases import ru_latin
from geomap.gazetteer._records import (
    CURATED,
    GEONAMES_RU_ADMIN1,
    KATOTTH_TO_ISO,
    MERGE_RADIUS_KM,
    OFFICIAL,
    RU_NEAR_ADMIN1,
    RU_POSTAL_ADMIN,
    Put,
    Rec,
    norm_key,
)


def oblast_shapes(path: Path, recs: Iterable[Rec]) -> list[tuple[str, Any]]:
    """Read the oblast polygons and move each curated oblast's centre inside its polygon.

    Parameters
    ----------
    path : Path
        The ADM1 boundaries GeoJSON (geoBoundaries, ``shapeISO`` per feature).
    recs : iterable of Rec
        Places built so far; Ukrainian oblasts among them get a point inside their polygon
        (except Kyiv and Sevastopol cities, whose curated centre stays).

    Returns
    -------
    list of (str, shapely geometry)
        ``(ISO 3166-2, polygon)`` per oblast.
    """
    from shapely.geometry import shape

    gj = src.read_geojson(path)
    by_iso = {r.admin1_code: r for r in recs if r.feature == "oblast" and r.cc == "UA"}
    shapes: list[tuple[str, Any]] = []
    for f in gj["features"]:
        iso = f["properties"].get("shapeISO")
        geom = shape(f["geometry"])
        shapes.append((iso, geom))
        rec = by_iso.get(iso)
        if rec is not None and iso not in ("UA-30", "UA-40"):
            # Oblast centre from the polygon (a point inside it).
            pt = geom.representative_point()
            rec.lat, rec.lon = round(pt.y, 5), round(pt.x, 5)
    return shapes


def fill_admin2(
    recs: Iterable[Rec], raions_gn: dict[str, str], raion_en: dict[str, str] | None = None
) -> None:
    """Give Ukrainian GeoNames places without admin2 their raion name.

    Parameters
    ----------
    recs : iterable of Rec
        All places; those with an ``admin2_code`` extra (GeoNames UA) and no admin2 are filled.
    raions_gn : dict
        GeoNames ADM2 code -> raion name.
    raion_en : dict, optional
        HDX raion P-code -> English raion name, preferred over ``raions_gn``.
    """
    for rec in recs:
        code = rec.extra.get("admin2_code")
        if code and rec.admin2 is None and rec.cc == "UA":
            rec.admin2 = (raion_en or {}).get(f"UA{code}") or raions_gn.get(code)


def merge_hdx(
    rows: list[dict[str, str]],
    recs: MutableMapping[str, Rec],
    iso_to_admin1: dict[str, str],
    tr: Any,
    put: Put,
) -> tuple[int, dict[str, str]]:
    """Merge HDX settlements onto GeoNames settlements (same name key within the radius), or add them.

    A merged place takes HDX's English and Ukrainian names, P-code, oblast, raion and hromada.

    Parameters
    ----------
    rows : list of dict
        HDX settlement rows (:func:`geomap.gazetteer._sources.read_hdx_settlements`).
    recs : mapping
        place_id -> place, the places built so far.
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name.
    tr : module
        :mod:`geomap.translit`.
    put : callable
        Stores an HDX-only place (counter ``hdx_only``).

    Returns
    -------
    tuple
        The number of merged rows and HDX raion P-code -> English raion name.
    """
    raion_en = {r["raion_pcode"]: r["raion_en"] for r in rows}
    # Index GeoNames settlements by every name key.
    by_key: dict[str, list[Rec]] = defaultdict(list)
    for rec in recs.values():
        if rec.feature == "settlement" and rec.cc == "UA":
            keys = {norm_key(a) for a in rec.aliases}
            if rec.name_uk:
                keys.add(norm_key(tr.kmu2010(rec.name_uk)))
            for k in keys:
                by_key[k].append(rec)
    merged = 0
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        iso_num = r["oblast_pcode"][2:]
        iso = f"UA-{KATOTTH_TO_ISO.get(iso_num, iso_num)}"
        admin1 = iso_to_admin1.get(iso)
        cands: dict[str, Rec] = {}
        for k in (norm_key(r["name_en"]), norm_key(r["name_uk"])):
            for rec in by_key.get(k, ()):
                cands[rec.place_id] = rec
        best, best_d = None, MERGE_RADIUS_KM
        for rec in cands.values():
            if "hdx" in rec.extra:
                continue
            d = haversine_km(lat, lon, rec.lat, rec.lon)
            if d <= best_d:
                best, best_d = rec, d
        if best is None:
            rec = Rec(
                f"hdx:{r['pcode']}",
                r["name_en"],
                lat,
                lon,
                "settlement",
                "UA",
                admin1=admin1,
                admin1_code=iso,
                name_uk=r["name_uk"] or None,
                source="hdx",
                skeleton=True,
            )
            put(rec, "hdx_only")
        else:
            rec = best
            merged += 1
            rec.name = r["name_en"]
            rec.name_uk = r["name_uk"] or rec.name_uk
            rec.admin1, rec.admin1_code = admin1, iso
            rec.source = "geonames+hdx"
        rec.extra["hdx"] = r["pcode"]
        rec.add(r["name_en"], "official", OFFICIAL)
        rec.add(r["name_uk"], "official", OFFICIAL)
        rec.admin2 = r["raion_en"] or None
        rec.hromada = r["hromada_en"] or None
        if r.get("hromada_pcode") and r["pcode"] == r["hromada_pcode"] + "001":
            add_hromada_names(rec, r["hromada_en"], r["hromada_uk"])
    return merged, raion_en


#: Ways news and official reports name a hromada by its adjective ("Bilopilska hromada",
#: "the Snovska community", "Krasnopilska territorial community").
_HROMADA_FORMS_EN = ("{} hromada", "{} community", "{} territorial community", "{} territorial hromada")
_HROMADA_FORMS_UK = ("{} громада", "{} територіальна громада")


def add_hromada_names(rec: Rec, name_en: str | None, name_uk: str | None) -> None:
    """Give a hromada's administrative centre the hromada's names.

    In KATOTTH the centre is the hromada's first settlement (P-code ending 001): Bilopillia
    for "Bilopilska hromada", Snovsk for "Snovska community" (where ACLED codes such reports).
    The mention is then region-level (geo_precision 2) at the centre.
    """
    for forms, name in ((_HROMADA_FORMS_EN, name_en), (_HROMADA_FORMS_UK, name_uk)):
        if name:
            for form in forms:
                rec.add(form.format(name), "hromada", CURATED, exact_quality=True)


def assign_admin1_by_polygon(
    recs: Iterable[Rec], shapes: list[tuple[str, Any]], iso_to_admin1: dict[str, str]
) -> int | None:
    """Give Ukrainian places without admin1 the oblast whose polygon holds them.

    Parameters
    ----------
    recs : iterable of Rec
        All places.
    shapes : list of (str, geometry)
        :func:`oblast_shapes`.
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name.

    Returns
    -------
    int or None
        How many places got an oblast; None when there were no polygons or nothing to do.
    """
    if not shapes:
        return None
    import shapely
    from shapely.strtree import STRtree

    # (the country's own point falls in Cherkasy oblast: a country has no oblast)
    todo = [r for r in recs if r.cc == "UA" and r.admin1 is None and r.feature != "country"]
    if not todo:
        return None
    tree = STRtree([g for _, g in shapes])
    pts = shapely.points([(r.lon, r.lat) for r in todo])
    idx_in, idx_tree = tree.query(pts, predicate="intersects")
    for i, j in zip(idx_in.tolist(), idx_tree.tolist(), strict=True):
        iso = shapes[j][0]
        todo[i].admin1_code = iso
        todo[i].admin1 = iso_to_admin1.get(iso)
    return int(len(set(idx_in.tolist())))


def merge_ru_postal(
    path: Path, recs: Iterable[Rec], tr: Any, put: Put, counts: MutableMapping[str, int]
) -> None:
    """Add GeoNames RU postal places near Ukraine that no existing place already covers.

    Parameters
    ----------
    path : Path
        The postal-code zip.
    recs : iterable of Rec
        Places built so far (Russian settlements near Ukraine are the dedupe targets).
    tr : module
        :mod:`geomap.translit`.
    put : callable
        Stores a new place (counter ``ru_postal``).
    counts : mapping
        Build counters; ``ru_postal_merged`` counts rows that matched an existing place.
    """
    # Existing Russian places near Ukraine, by Cyrillic/Latin key, for dedupe.
    by_key: dict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        if rec.cc == "RU" and rec.feature == "settlement" and rec.admin1 in RU_NEAR_ADMIN1:
            for a in rec.aliases:
                by_key[norm_key(a)].append(rec)
    seen: dict[tuple[str, float, float], Rec] = {}
    used_ids: set[str] = set()
    for row in src.read_geonames_postal(path):
        if row.accuracy < 4:
            continue
        admin1 = RU_POSTAL_ADMIN.get(row.admin1_name)
        if admin1 not in RU_NEAR_ADMIN1:
            continue
        name = row.name.strip()
        if not name or any(ch.isdigit() for ch in name):
            continue
        key = (norm_key(name), round(row.lat, 3), round(row.lon, 3))
        if key in seen:
            continue
        dup = next(
            (
                r
                for r in by_key.get(key[0], ())
                if haversine_km(row.lat, row.lon, r.lat, r.lon) <= MERGE_RADIUS_KM
            ),
            None,
        )
        if dup is not None:
            seen[key] = dup
            counts["ru_postal_merged"] += 1
            continue
        pid = f"geonames-ru-postal:{row.postal_code}"
        n = 2
        while pid in used_ids:
            pid = f"geonames-ru-postal:{row.postal_code}-{n}"
            n += 1
        used_ids.add(pid)
        info_iso = next(v[1] for v in GEONAMES_RU_ADMIN1.values() if v[0] == admin1)
        name_en = ru_latin(name, tr)
        rec = Rec(
            pid,
            name_en or name,
            row.lat,
            row.lon,
            "settlement",
            "RU",
            admin1=admin1,
            admin1_code=info_iso,
            admin2=row.admin2_name or None,
            name_ru=name,
            source="geonames-ru-postal",
            skeleton=True,
        )
        rec.add(name, "official", OFFICIAL)
        seen[key] = rec
        by_key[key[0]].append(rec)
        put(rec, "ru_postal")


#: Cities with oblast status: their raions are city districts, not named after a town.
_CITY_OBLASTS = ("Kyiv City", "Sevastopol")


def raion_centres(recs: Iterable[Rec]) -> dict[tuple[str | None, str | None], Rec]:
    """The town each 2020 raion is named after, by (oblast, raion): the press writes "Kramatorsk district".

    A raion's name is its centre's adjective ("Kramatorskyi", "Volnovaskyi", "Sumskyi"): the centre
    is the most populous of the raion's settlements whose name starts as the adjective's stem does
    (all but two letters of the shorter, three at least: "Romenskyi" is Romny's).

    Parameters
    ----------
    recs : iterable of Rec
        All records of the build.

    Returns
    -------
    dict
        ``(admin1, admin2) -> the town's record`` for the Ukrainian raions outside Kyiv and Sevastopol.
    """
    best: dict[tuple[str | None, str | None], Rec] = {}
    for r in recs:
        if r.feature != "settlement" or r.cc != "UA" or not r.admin2 or r.admin1 in _CITY_OBLASTS:
            continue
        # i and o alternate in the adjective (Lozova: Lozivskyi; Svatove: Svativskyi)
        stem = re.sub(r"(?:s?kyi|ckyi|yi)$", "", r.admin2.lower()).replace("i", "o")
        name = r.name.lower().replace("i", "o")
        common = len(os.path.commonprefix([stem, name]))
        if common < max(3, min(len(stem), len(name)) - 2):
            continue
        key = (r.admin1, r.admin2)
        if key not in best or r.population > best[key].population:
            best[key] = r
    return best

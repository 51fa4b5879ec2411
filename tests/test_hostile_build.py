"""Hostile articles through the whole build (ingest -> ... -> render), checked in a real browser.

Scraped articles are attacker-controlled. Script tags, event-handler attributes,
javascript: URLs, template-literal injections and script-closing sequences go
in as files; every generated page is then opened in Debian's chromium, every
event popup is opened, and none of the payloads may run (each sets
window.__pwned) or make a request outside the site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.pipeline import build_site
from tests.conftest_render import CHROMIUM, CHROMIUM_ARGS

PAYLOADS = [
    "</script><script>window.__pwned='script-close'</script>",
    "<img src=x onerror=\"window.__pwned='onerror'\">",
    "${window.__pwned='template'}",
    "`);window.__pwned='backtick';//",
    "\\\");window.__pwned='backslash';//",
    "<!--<script>window.__pwned='comment'</script>-->",
    "\u2028window.__pwned='u2028'",
]


def _write_hostile_inputs(root: Path) -> None:
    sentences = [
        f"Russian drones struck the city of Lviv on Tuesday {p} killing two people, officials said."
        for p in PAYLOADS
    ]
    (root / "strike.txt").write_text(
        "Drones hit Lviv " + PAYLOADS[0] + "\n\n" + "\n\n".join(sentences), encoding="utf-8"
    )
    html = (
        "<html><head><title>Kharkiv <svg onload=\"window.__pwned='title'\"></title>"
        "<script>window.__pwned='inline-script'</script></head><body>"
        "<p>Russian artillery shelled Kharkiv &lt;script&gt;window.__pwned='entity'&lt;/script&gt; "
        "on Monday, injuring three.</p>"
        "<p onclick=\"window.__pwned='handler'\">Missiles hit the village of Robotyne ${1+1}.</p>"
        "</body></html>"
    )
    (root / "shelling.html").write_text(html, encoding="utf-8")
    lines = [
        {
            "id": "x</script><script>window.__pwned='id'</script>",
            "title": "<b onmouseover=alert(1)>t</b>",
            "url": "javascript:window.__pwned='url'",
            "text": "Ukrainian forces recaptured Klishchiivka `${window.__pwned='jsonl'}` near Bakhmut.",
        },
        {
            "id": "ok",
            "url": "https://example.org/a?b=<script>",
            "published": "2023-09-18",
            "text": "Shelling of Kherson killed one man \u2028 and damaged homes </script>.",
        },
    ]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(gazetteer: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("hostile-in")
    _write_hostile_inputs(src)
    out = tmp_path_factory.mktemp("hostile-out") / "site"
    summary = build_site([src], out, gazetteer=gazetteer, use_cache=False)
    assert summary.articles == 4 and summary.events >= 3
    return out


def test_no_payload_survives_unescaped_in_the_files(hostile_site: Path) -> None:
    for f in hostile_site.rglob("*"):
        if f.suffix not in (".html", ".js"):
            continue
        text = f.read_text(encoding="utf-8")
        # escaped copies (&lt;script&gt;) are fine; live markup from an article is not
        for bad in (
            "<script>window.__pwned",
            "<img src=x onerror",
            "<svg onload",
            "<b onmouseover",
            'href="javascript:',
            'onclick="window',
        ):
            assert bad not in text, f"{f.name} carries {bad!r} as live markup"
        # U+2028 ends a line inside older JavaScript parsers: never raw in a script
        scripts = [text] if f.suffix == ".js" else re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S)
        assert not any("\u2028" in sc for sc in scripts), f"{f.name} has a raw U+2028 in a script"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.mark.browser
def test_no_payload_runs_in_any_page(hostile_site: Path, browser: Any) -> None:
    base = hostile_site.as_uri() + "/"
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    assert "index.html" in pages and any(p.startswith("articles/") for p in pages)
    for rel in pages:
        ctx = browser.new_context()
        page = ctx.new_page()
        outside: list[str] = []
        dialogs: list[str] = []
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))

        def route(r: Any, outside: list[str] = outside) -> None:
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(base + rel)
        if rel == "index.html":
            page.wait_for_function("window.geomap && window.geomap.ready === true", timeout=20000)
            # every event's popup, attached to the page as the map would show it
            shown = page.evaluate(
                "() => { const n = geomap.total(); for (let i = 0; i < n; i++) {"
                " document.body.appendChild(geomap.popupContent(i)); } return n; }"
            )
            assert shown >= 3
        page.mouse.move(10, 10)
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None, f"a payload ran in {rel}"
        assert not dialogs, f"a dialog opened in {rel}: {dialogs}"
        assert not outside, f"{rel} requested {outside}"
        ctx.close()

"""Benchmark the site renderer at 50k synthetic events.

Prints: build seconds (target < 10 s), size of index.html + page data
(target < 15 MB), and page-ready time in headless chromium (target < 3 s).

    .venv/bin/python bench/bench_site.py [--events 50000] [--out bench/out/site]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from geomap.model import Article, Event, Mention, Place
from geomap.render import render_site
from geomap.render.site import SUB_EVENT_TYPES

ROOT = Path(__file__).resolve().parents[1]
BOUNDS = ROOT.parent / "shared" / "gazetteer-src" / "boundaries"

TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Remote explosive/landmine/IED",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Strategic developments": ["Looting/property destruction", "Other", "Arrests"],
    "Protests": ["Peaceful protest"],
}
assert all(s in SUB_EVENT_TYPES for subs in TYPES.values() for s in subs)
OBLASTS = ["Donetsk", "Luhansk", "Kharkiv", "Zaporizhia", "Kherson", "Sumy", "Dnipropetrovsk", "Mykolaiv"]


def _boundaries() -> dict[str, dict] | None:
    if not BOUNDS.is_dir():
        return None
    countries = json.loads((BOUNDS / "countries_ua_neighbours.geojson").read_text(encoding="utf-8"))
    adm1 = json.loads((BOUNDS / "ukraine_adm1_oblasts.geojson").read_text(encoding="utf-8"))
    for f in adm1["features"]:
        f["properties"] = {
            "name": f["properties"]["shapeName"].removesuffix(" Oblast"),
            "iso": f["properties"].get("shapeISO"),
        }
    return {"countries": countries, "adm1": adm1}


def _points_in_ukraine(n: int, rng: random.Random, bounds: dict | None) -> list[tuple[float, float]]:
    """Random (lat, lon) inside Ukraine's outline (or its bounding box without the files)."""
    poly = None
    if bounds:
        from shapely.geometry import shape
        from shapely.prepared import prep

        ua = next(f for f in bounds["countries"]["features"] if f["properties"].get("ISO_A3") == "UKR")
        poly = prep(shape(ua["geometry"]))
    from shapely.geometry import Point

    pts: list[tuple[float, float]] = []
    while len(pts) < n:
        lat, lon = rng.uniform(44.3, 52.4), rng.uniform(22.1, 40.2)
        if poly is None or poly.contains(Point(lon, lat)):
            pts.append((lat, lon))
    return pts


def synthetic(n_events: int, seed: int = 7) -> tuple[list[Event], list[Mention], list[Article], dict]:
    rng = random.Random(seed)
    bounds = _boundaries()
    n_places = max(10, n_events // 20)
    coords = _points_in_ukraine(n_places, rng, bounds)
    places = [
        Place(f"synthetic:{i}", f"Selo{i:05d}", lat, lon, "settlement", "UA", rng.choice(OBLASTS))
        for i, (lat, lon) in enumerate(coords)
    ]
    n_articles = max(1, n_events // 25)
    articles, mentions, events = [], [], []
    start = date(2022, 2, 24)
    for a in range(n_articles):
        sents, spans = [], []
        pos = 0
        for _ in range(25):
            p = rng.choice(places)
            s = (
                f"Russian forces shelled {p.name} in {p.admin1} region overnight, the regional governor said "
                f"on Telegram, adding that two houses were damaged. "
            )
            cs = pos + s.index(p.name)
            spans.append((p, cs, pos, s))
            sents.append(s)
            pos += len(s)
        text = "".join(sents)
        art = Article(
            f"synthetic-{a:05d}",
            text,
            title=f"Synthetic report {a}",
            published=start + timedelta(days=a % 700),
            url=f"https://example.org/news/{a}",
        )
        articles.append(art)
        for p, cs, ss, s in spans:
            if len(events) >= n_events:
                break
            etype = rng.choice(list(TYPES))
            gp = 3 if rng.random() < 0.03 else 1
            day = start + timedelta(days=rng.randrange(700))
            mentions.append(
                Mention(
                    art.article_id,
                    p.name,
                    cs,
                    cs + len(p.name),
                    "exact",
                    status="resolved",
                    place=p,
                    confidence=0.9,
                    geo_precision=1,
                )
            )
            events.append(
                Event(
                    article_id=art.article_id,
                    event_id=f"SYN{len(events):06d}",
                    role="event",
                    event_type=etype,
                    sub_event_type=rng.choice(TYPES[etype]),
                    weapon=None,
                    event_date=None if rng.random() < 0.02 else day.isoformat(),
                    date_precision="day",
                    mention=p.name,
                    place_id=p.place_id,
                    place_name=p.name,
                    latitude=p.latitude,
                    longitude=p.longitude,
                    geo_precision=gp,
                    admin1=p.admin1,
                    admin2=None,
                    country_code="UA",
                    confidence=round(rng.uniform(0.5, 1), 3),
                    claimed_by=None,
                    stance="reported",
                    fatalities=rng.choice([None, 0, 1, 2]),
                    sentence=s,
                    char_start=cs,
                    char_end=cs + len(p.name),
                    sentence_start=ss,
                    sources=[art.article_id],
                )
            )
    search = {p.place_id: [p.name, p.name.upper(), p.name + "e"] for p in places}
    return events, mentions, articles, {"boundaries": bounds, "search": search}


def page_ready_seconds(index: Path) -> float | None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(chromium),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = b.new_page(viewport={"width": 1280, "height": 860})
        t0 = time.perf_counter()
        page.goto(index.as_uri())
        page.wait_for_function("window.geomap && window.geomap.ready === true", timeout=120000)
        # one more frame so the first clusters are painted
        page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
        dt = time.perf_counter() - t0
        count = page.evaluate("geomap.count()")
        b.close()
    print(f"page shows {count} events")
    return dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "site")
    args = ap.parse_args(argv)
    events, mentions, articles, extra = synthetic(args.events)
    print(f"{len(events)} events, {len(mentions)} mentions, {len(articles)} articles")
    t0 = time.perf_counter()
    report = render_site(
        events, mentions, articles, args.out, boundaries=extra["boundaries"], search_names=extra["search"]
    )
    build = time.perf_counter() - t0
    out = args.out
    page_bytes = sum(
        (out / f).stat().st_size
        for f in ("index.html", "data/events.js", "data/boundaries.js", "data/search.js")
    )
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"build seconds: {build:.2f} (target < 10)")
    print(
        f"index.html + data/*.js: {page_bytes / 1e6:.2f} MB (target < 15); whole site {total / 1e6:.1f} MB, "
        f"{len(report['files'])} files"
    )
    for f in ("data/events.js", "data/events.geojson", "data/events.csv"):
        print(f"  {f}: {(out / f).stat().st_size / 1e6:.2f} MB")
    ready = page_ready_seconds(out / "index.html")
    if ready is not None:
        print(f"page ready in headless chromium: {ready:.2f} s (target < 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

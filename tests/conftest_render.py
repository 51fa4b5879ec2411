"""Shared builders for the render tests (plain module, imported by test_render and test_site_browser).

The records are built here, by hand, to look like what the pipeline produces
for real articles: a settlement event with a disputed claim, an oblast-level
event, a country-level event, a context place, an undated event, and a
hostile article whose text tries every injection the site must survive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geomap.model import Article, Candidate, Event, Mention, Place

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

#: Debian's chromium (``apt-get install -y chromium``) and the switches the browser tests launch it with.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BOUNDARIES_DIR = SHARED / "gazetteer-src" / "boundaries"

#: Strings that set window.__pwned if any of them is ever executed.
HOSTILE = (
    "</script><script>window.__pwned='script'</script>"
    " <img src=x onerror=\"window.__pwned='img'\">"
    " ${window.__pwned='template'} `${window.__pwned='backtick'}`"
    " <!-- \u2028\u2029 -->"
)

BAKHMUT_TEXT = (
    "Fighting near Bakhmut\n\n"
    "KYIV, Aug 20 (Reuters) - Russian forces shelled Klishchiivka, south of Bakhmut, on Saturday, "
    "the Ukrainian general staff said. Russia's defence ministry said its troops had taken the village, "
    "a claim Kyiv denied. Two civilians were killed in Donetsk region, the governor said.\n"
    "Ukraine said air defences shot down drones over the country overnight. "
    "The fighting around Kupiansk continued."
)

HOSTILE_TEXT = (
    "Hostile <b>headline</b>\n\n"
    "Witnesses in Avdiivka " + HOSTILE + " reported explosions on 21 August. "
    "Residents of Zzyzxville were not reached."
)

PLACES = {
    "klishchiivka": Place(
        "geonames:13512497",
        "Klishchiivka",
        48.52897,
        37.95972,
        "settlement",
        "UA",
        "Donetsk",
        "Bakhmutskyi",
        population=0,
        source="geonames",
    ),
    "bakhmut": Place(
        "geonames:712451",
        "Bakhmut",
        48.5947,
        38.0003,
        "settlement",
        "UA",
        "Donetsk",
        "Bakhmutskyi",
        population=72000,
        source="geonames",
    ),
    "donetsk_obl": Place(
        "geonames:709716", "Donetsk Oblast", 48.0, 37.8, "oblast", "UA", "Donetsk", source="geonames"
    ),
    "ukraine": Place("geonames:690791", "Ukraine", 49.0, 32.0, "country", "UA", source="geonames"),
    "kupiansk": Place(
        "geonames:703656",
        "Kupyansk",
        49.7106,
        37.6156,
        "settlement",
        "UA",
        "Kharkiv",
        "Kupianskyi",
        population=27000,
        source="geonames",
    ),
    "avdiivka": Place(
        "geonames:713122",
        "Avdiyivka",
        48.1394,
        37.7497,
        "settlement",
        "UA",
        "Donetsk",
        "Pokrovskyi",
        population=31000,
        source="geonames",
    ),
    "kyiv": Place(
        "geonames:703448", "Kyiv", 50.4547, 30.5238, "settlement", "UA", "Kyiv City", source="geonames"
    ),
}


def _span(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    i = text.index(needle, start)
    return i, i + len(needle)


def _sentence_of(text: str, pos: int) -> tuple[int, str]:
    """The sentence around ``pos`` (between '. ' / newline boundaries)."""
    starts = [text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)]
    s = max(starts)
    s = 0 if s < 0 else s + (2 if text[s] == "." else 1)
    e = text.find(". ", pos)
    e = len(text) if e < 0 else e + 1
    return s, text[s:e]


def make_event(
    article: Article,
    mention: str,
    place: Place,
    *,
    event_id: str,
    role: str = "event",
    event_type: str | None = None,
    sub_event_type: str | None = None,
    weapon: str | None = None,
    event_date: str | None = "2023-08-19",
    date_precision: str | None = "day",
    claimed_by: str | None = None,
    stance: str = "reported",
    fatalities: int | None = None,
    confidence: float = 0.9,
    sources: list[str] | None = None,
    place_name: str | None = None,
    admin1: str | None = "__place__",
    start: int = 0,
) -> Event:
    cs, ce = _span(article.text, mention, start)
    ss, sent = _sentence_of(article.text, cs)
    return Event(
        article_id=article.article_id,
        event_id=event_id,
        role=role,
        event_type=event_type,
        sub_event_type=sub_event_type,
        weapon=weapon,
        event_date=event_date,
        date_precision=date_precision,
        mention=mention,
        place_id=place.place_id,
        place_name=place_name or place.name,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=place.geo_precision,
        admin1=place.admin1 if admin1 == "__place__" else admin1,
        admin2=place.admin2,
        country_code=place.country_code,
        confidence=confidence,
        claimed_by=claimed_by,
        stance=stance,
        fatalities=fatalities,
        sentence=sent,
        char_start=cs,
        char_end=ce,
        sentence_start=ss,
        title=article.title,
        url=article.url,
        published=str(article.published) if article.published else None,
        sources=sources or [article.article_id],
    )


def make_mention(
    article: Article,
    text: str,
    place: Place | None,
    status: str,
    *,
    start: int = 0,
    candidates: list[Place] | None = None,
    note: str | None = None,
) -> Mention:
    cs, ce = _span(article.text, text, start)
    cands = [
        Candidate(p, p.name, "official", 0.8, score=0.5 - 0.1 * k) for k, p in enumerate(candidates or [])
    ]
    return Mention(
        article.article_id,
        text,
        cs,
        ce,
        "exact",
        candidates=cands,
        status=status,
        place=place,
        confidence=0.9 if place else 0.3,
        geo_precision=place.geo_precision if place else None,
        note=note,
    )


def sample_records() -> tuple[list[Event], list[Mention], list[Article]]:
    """A realistic handful of records, including a hostile article."""
    from datetime import date

    a1 = Article(
        "reuters-2023-08-20",
        BAKHMUT_TEXT,
        title="Fighting near Bakhmut",
        published=date(2023, 8, 20),
        url="https://www.reuters.com/world/europe/fighting-near-bakhmut-2023-08-20/",
    )
    hostile_id = "evil</script><script>window.__pwned='id'</script>"
    a2 = Article(
        hostile_id,
        HOSTILE_TEXT,
        title="Hostile <b>headline</b> " + HOSTILE,
        published=date(2023, 8, 21),
        url="javascript:window.__pwned='url'",
    )
    p = PLACES
    events = [
        make_event(
            a1,
            "Klishchiivka",
            p["klishchiivka"],
            event_id="UKR-GM-0001",
            event_type="Battles",
            sub_event_type="Non-state actor overtakes territory",
            claimed_by="Russia's defence ministry",
            stance="disputed",
            sources=[a1.article_id, hostile_id],
        ),
        make_event(
            a1,
            "Klishchiivka",
            p["klishchiivka"],
            event_id="UKR-GM-0002",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            weapon="artillery",
            claimed_by="Ukrainian general staff",
            stance="claimed",
        ),
        make_event(
            a1,
            "Donetsk region",
            p["donetsk_obl"],
            event_id="UKR-GM-0003",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            fatalities=2,
            claimed_by="the governor",
            stance="claimed",
            confidence=0.7,
        ),
        make_event(
            a1, "Bakhmut", p["bakhmut"], event_id="UKR-GM-0004", role="context", event_date="2023-08-19"
        ),
        make_event(
            a1,
            "the country",
            p["ukraine"],
            event_id="UKR-GM-0005",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            weapon="drone",
            event_date="2023-08-18",
            confidence=0.6,
        ),
        make_event(
            a1,
            "Kupiansk",
            p["kupiansk"],
            event_id="UKR-GM-0006",
            event_type="Battles",
            sub_event_type="Armed clash",
            event_date=None,
            date_precision=None,
            place_name="Kupyansk",
        ),
        make_event(
            a2,
            "Avdiivka",
            p["avdiivka"],
            event_id="UKR-GM-0007<img src=x onerror=window.__pwned=7>",
            event_type="Explosions/Remote violence",
            sub_event_type="<svg onload=window.__pwned='sub'>",
            event_date="2023-08-21",
            claimed_by="<img src=x onerror=window.__pwned='claim'>",
            stance="denied",
            place_name="Avdiyivka " + HOSTILE,
        ),
    ]
    mentions = [
        make_mention(a1, "Bakhmut", p["bakhmut"], "resolved"),
        make_mention(a1, "KYIV", p["kyiv"], "resolved"),
        make_mention(a1, "Klishchiivka", p["klishchiivka"], "resolved"),
        make_mention(a1, "Donetsk region", p["donetsk_obl"], "resolved"),
        make_mention(a1, "the country", p["ukraine"], "resolved"),
        make_mention(a1, "Kupiansk", p["kupiansk"], "resolved"),
        make_mention(a2, "Avdiivka", p["avdiivka"], "resolved"),
        make_mention(a2, "Zzyzxville", None, "unresolved", note="no gazetteer entry"),
        make_mention(
            a2,
            "headline",
            None,
            "ambiguous",
            candidates=[p["bakhmut"], p["kupiansk"]],
            note="two candidates " + HOSTILE,
        ),
    ]
    return events, mentions, [a1, a2]


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def generated_boundaries() -> dict[str, dict]:
    """Simple boxes standing in for the real outlines (when ../shared is absent)."""
    return {
        "countries": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Ukraine", "iso": "UKR"},
                    "geometry": box(22, 44, 40, 52.4),
                },
            ],
        },
        "adm1": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Donetsk", "iso": "UA-14"},
                    "geometry": box(36.5, 46.9, 38.9, 49.2),
                },
                {
                    "type": "Feature",
                    "properties": {"name": "Kharkiv", "iso": "UA-63"},
                    "geometry": box(35.0, 48.9, 38.2, 50.5),
                },
            ],
        },
    }


def real_boundaries() -> dict[str, dict] | None:
    """The shared boundary files, adm1 names made ACLED-style ("Donetsk Oblast" -> "Donetsk")."""
    if not BOUNDARIES_DIR.is_dir():
        return None
    countries = json.loads((BOUNDARIES_DIR / "countries_ua_neighbours.geojson").read_text(encoding="utf-8"))
    adm1 = json.loads((BOUNDARIES_DIR / "ukraine_adm1_oblasts.geojson").read_text(encoding="utf-8"))
    for f in adm1["features"]:
        props = f["properties"]
        name = props["shapeName"].removesuffix(" Oblast")
        name = {"Autonomous Republic of Crimea": "Crimea", "Kyiv": "Kyiv City"}.get(name, name)
        f["properties"] = {"name": name, "iso": props.get("shapeISO")}
    return {"countries": countries, "adm1": adm1}


SEARCH_NAMES = {
    "geonames:703656": ["Kupiansk", "Kupyansk", "Kup'yans'k", "Куп'янськ", "Купянск", "Kobyansk"],
    "geonames:13512497": ["Klishchiivka", "Klishchiyivka", "Кліщіївка", "Klichtchiïvka"],
    "geonames:712451": ["Bakhmut", "Artemivsk", "Artemovsk", "Бахмут"],
}

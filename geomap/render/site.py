"""Render the offline map site: index.html (folium), tables, article pages, data files.

Layout of ``out_dir``::

    index.html            folium map (layers per event type, clusters, heat, time filter, search)
    events.html           sortable, filterable table, rows link to index.html#event=<id>
    about.html            sources, licences, Crimea note, build info, unresolved summary
    articles/<slug>.html  each source article with its mentions highlighted
    assets/               Leaflet and plugins from npm (pinned), geomap.js/css
    data/events.js        page data (classic script: file:// pages cannot fetch JSON)
    data/boundaries.js    country and oblast outlines
    data/search.js        every gazetteer spelling of the mapped places
    data/events.csv|events.geojson|mentions.csv|unresolved.csv|build.json

The build is deterministic (sorted data, counter-based folium ids, no clock)
and atomic (written beside ``out_dir`` and swapped in).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import itertools
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import folium
from branca.element import Element
from jinja2 import Environment, FileSystemLoader, select_autoescape

from geomap.model import Article, Event, Mention
from geomap.render.area_layer import AreaEventLayer
from geomap.render.assets import VENDORED, copy_assets, ensure_assets
from geomap.render.basemap import BoundaryLayer
from geomap.render.controls import GeomapCore, GeomapStart
from geomap.render.escape import finite_or_none, json_for_script, safe_url
from geomap.render.event_layer import EventTypeLayer
from geomap.render.heat_layer import EventHeatLayer
from geomap.render.offline_map import LocalFullscreen, OfflineMap

TEMPLATES = Path(__file__).resolve().parent / "templates"

BORDERS_NOTE = (
    "Borders: Natural Earth / geoBoundaries outlines. Crimea is shown as part of Ukraine, "
    "in line with UN General Assembly resolution 68/262 (2014) on the territorial integrity of Ukraine."
)

#: ACLED event types in ACLED's order, with the marker shape of each.
EVENT_TYPES: tuple[tuple[str, str], ...] = (
    ("Battles", "circle"),
    ("Explosions/Remote violence", "diamond"),
    ("Violence against civilians", "square"),
    ("Protests", "triangle"),
    ("Riots", "triangle"),
    ("Strategic developments", "ring"),
)
UNCLASSIFIED = "Other / unclassified"
CONTEXT = "Context places"

#: ACLED sub-event types: colour and a 1-2 letter glyph (no icon font needed offline).
SUB_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "Armed clash": ("#c0392b", "AC"),
    "Government regains territory": ("#1f6fb2", "GR"),
    "Non-state actor overtakes territory": ("#7b241c", "NT"),
    "Chemical weapon": ("#6c3483", "CW"),
    "Air/drone strike": ("#d35400", "AD"),
    "Suicide bomb": ("#4a235a", "SB"),
    "Shelling/artillery/missile attack": ("#e67e22", "SM"),
    "Remote explosive/landmine/IED": ("#935116", "IE"),
    "Grenade": ("#a04000", "GN"),
    "Sexual violence": ("#641e16", "SV"),
    "Attack": ("#922b21", "AT"),
    "Abduction/forced disappearance": ("#512e5f", "AB"),
    "Peaceful protest": ("#27ae60", "PP"),
    "Protest with intervention": ("#1e8449", "PI"),
    "Excessive force against protesters": ("#145a32", "EF"),
    "Violent demonstration": ("#b7950b", "VD"),
    "Mob violence": ("#9a7d0a", "MV"),
    "Agreement": ("#117a65", "AG"),
    "Arrests": ("#2e4053", "AR"),
    "Change to group/activity": ("#5d6d7e", "CG"),
    "Disrupted weapons use": ("#2874a6", "DW"),
    "Headquarters or base established": ("#1a5276", "HQ"),
    "Looting/property destruction": ("#784212", "LP"),
    "Non-violent transfer of territory": ("#0e6655", "TT"),
    "Other": ("#566573", "OT"),
}
_FALLBACK_COLOURS = ("#34495e", "#8e44ad", "#16a085", "#2c3e50", "#7f8c8d", "#a93226")
_TYPE_DEFAULT = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#922b21",
    "Protests": "#27ae60",
    "Riots": "#b7950b",
    "Strategic developments": "#5d6d7e",
    UNCLASSIFIED: "#566573",
    CONTEXT: "#7f8c8d",
}

#: Row layout of GEOMAP_DATA.events (geomap.js and table.js read it by name).
FIELDS: tuple[str, ...] = (
    "id",
    "lat",
    "lon",
    "layer",
    "subtype",
    "kind",
    "area",
    "date",
    "date_precision",
    "mention",
    "place_name",
    "place_id",
    "admin1",
    "admin2",
    "event_type",
    "sub_event_type",
    "weapon",
    "fatalities",
    "injured",
    "claimed_by",
    "stance",
    "confidence",
    "geo_precision",
    "sentence",
    "hl_start",
    "hl_end",
    "sources",
)

#: ACLED column names first, then geomap's own columns.
EVENT_CSV_COLUMNS: tuple[str, ...] = (
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
    "article_id",
    "role",
    "mention",
    "place_id",
    "country_code",
    "confidence",
    "claimed_by",
    "stance",
    "weapon",
    "injured",
    "date_precision",
    "sources",
    "source_urls",
    "triggers",
    "char_start",
    "char_end",
)
MENTION_CSV_COLUMNS: tuple[str, ...] = (
    "article_id",
    "mention",
    "char_start",
    "char_end",
    "status",
    "place_id",
    "place_name",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "score",
    "match",
    "kind",
    "cue",
    "note",
    "candidates",
)
UNRESOLVED_CSV_COLUMNS: tuple[str, ...] = (
    "article_id",
    "mention",
    "char_start",
    "char_end",
    "status",
    "note",
    "match",
    "context",
    "candidates",
)
_TIME_PRECISION = {"day": 1, "days": 2, "week": 2, "month": 3, "year": 3}
_COORD_DIGITS = 5


# --------------------------------------------------------------------------- helpers
@contextlib.contextmanager
def deterministic_ids(prefix: str = "gm") -> Iterator[None]:
    """Make branca/folium element ids a counter while the block runs.

    folium names every JS variable after a random hex id (``map_3f2a...``);
    two builds of the same inputs would differ. ``Element._generate_id`` is
    the single seam, so we swap it for a counter and put it back.
    """
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):05d}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def article_slug(article_id: str) -> str:
    """File-name-safe, collision-free slug for an article page (``articles/<slug>.html``)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._")[:80] or "article"
    if base != article_id:
        # The id was changed to make it safe: add a hash so two ids cannot collide.
        base += "-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8]
    return base


def _fold_key(s: str) -> str:
    """Key for matching admin1 names to boundary names (case, accents, 'Oblast', punctuation)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"\b(oblast|region|autonomous republic of|republic of)\b", " ", s)
    s = re.sub(r"[^a-z0-9]+", "", s)
    return {
        "odessa": "odesa",
        "zaporizhia": "zaporizhzhia",
        "zaporizhzhya": "zaporizhzhia",
        "crimea": "crimea",
        "kiev": "kyiv",
        "kievcity": "kyivcity",
    }.get(s, s)


def _csv_text(v: object) -> str:
    """Cell text that a spreadsheet will not run as a formula."""
    if v is None:
        return ""
    s = str(v)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + s
    return s


def _num(v: object, digits: int | None = None) -> float | int | None:
    f = finite_or_none(v)
    if f is None:
        return None
    if digits is None:
        return int(v) if isinstance(v, int) else f
    return round(f, digits)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _round_coords(obj: Any, digits: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list):
        return [_round_coords(x, digits) for x in obj]
    return obj


def _clean_boundaries(boundaries: dict[str, dict] | None) -> dict[str, Any]:
    """Keep geometry plus name/iso of each feature, coordinates rounded (~11 m)."""
    out: dict[str, Any] = {}
    for key in ("countries", "adm1"):
        fc = (boundaries or {}).get(key)
        if not fc or not isinstance(fc, dict):
            continue
        feats = []
        for f in fc.get("features", []):
            geom = f.get("geometry")
            if not geom:
                continue
            p = f.get("properties") or {}
            name = p.get("name") or p.get("NAME") or p.get("shapeName") or p.get("ADMIN") or ""
            iso = p.get("iso") or p.get("ISO_A3") or p.get("ADM0_A3") or p.get("shapeISO") or p.get("iso_a3")
            feats.append(
                {
                    "type": "Feature",
                    "properties": {"name": str(name), "iso": None if iso is None else str(iso)},
                    "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])},
                }
            )
        out[key] = {"type": "FeatureCollection", "features": feats}
    return out


class _Strings:
    """Interned string table: repeated names and sentences are stored once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, s: object) -> int:
        if s is None or s == "":
            return -1
        s = str(s)
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i


def _layer_of(e: Event) -> str:
    if e.role == "context":
        return CONTEXT
    return e.event_type or UNCLASSIFIED


def _highlight(e: Event) -> tuple[int | None, int | None]:
    """Offsets of the mention inside the evidence sentence, or (None, None)."""
    sent = e.sentence or ""
    start = e.char_start - e.sentence_start
    end = e.char_end - e.sentence_start
    if 0 <= start < end <= len(sent) and sent[start:end] == e.mention:
        return start, end
    if e.mention:
        pos = sent.find(e.mention)
        if pos >= 0:
            return pos, pos + len(e.mention)
    return None, None


def _sort_key(e: Event) -> tuple[str, str, str, int]:
    return (e.event_date or "9999", e.event_id, e.article_id, e.char_start)


# --------------------------------------------------------------------------- data
def _page_data(
    events: list[Event], articles: dict[str, Article], slugs: dict[str, str], adm1_index: dict[str, int]
) -> dict[str, Any]:
    strings = _Strings()
    layer_names: list[str] = [t for t, _ in EVENT_TYPES]
    present = {_layer_of(e) for e in events}
    extra = sorted(present - set(layer_names) - {UNCLASSIFIED, CONTEXT})
    layer_names = [n for n in layer_names if n in present] + extra
    layer_names += [n for n in (UNCLASSIFIED, CONTEXT) if n in present]
    shapes = dict(EVENT_TYPES)
    layers = [
        {"label": n, "shape": shapes.get(n, "square" if n != CONTEXT else "ring"), "show": n != CONTEXT}
        for n in layer_names
    ]
    layer_idx = {n: i for i, n in enumerate(layer_names)}

    subtypes: list[dict[str, str]] = []
    sub_idx: dict[tuple[str, str | None], int] = {}
    legend: list[list[int]] = []

    def subtype(layer: str, sub: str | None) -> int:
        key = (layer, sub)
        if key not in sub_idx:
            if sub in SUB_EVENT_TYPES:
                colour, glyph = SUB_EVENT_TYPES[sub]
            else:
                h = int(hashlib.sha1((sub or layer).encode("utf-8")).hexdigest(), 16)
                colour = _TYPE_DEFAULT.get(layer) if sub is None else _FALLBACK_COLOURS[h % 6]
                colour = colour or _FALLBACK_COLOURS[h % 6]
                # Glyphs go into innerHTML of the icon: letters/digits only.
                letters = re.sub(r"[^A-Za-z0-9]", "", sub or layer)[:2].upper()
                glyph = letters or "?"
            sub_idx[key] = len(subtypes)
            subtypes.append({"name": sub or layer, "color": colour, "glyph": glyph})
            legend.append([layer_idx[layer], sub_idx[key]])
        return sub_idx[key]

    rows: list[list[Any]] = []
    dates: list[str] = []
    for e in events:
        layer = _layer_of(e)
        gp = int(e.geo_precision or 1)
        area = -1
        if gp <= 2:
            kind = 0
        elif gp == 3 and e.admin1 and _fold_key(e.admin1) in adm1_index:
            kind, area = 1, adm1_index[_fold_key(e.admin1)]
        else:
            kind = 2  # country level, or an oblast we have no polygon for: listed in a panel
        hs, he = _highlight(e)
        sources = sorted(set(e.sources or []) | {e.article_id})
        if e.event_date:
            dates.append(e.event_date)
        rows.append(
            [
                e.event_id,
                _num(e.latitude, _COORD_DIGITS),
                _num(e.longitude, _COORD_DIGITS),
                layer_idx[layer],
                subtype(layer, e.sub_event_type),
                kind,
                area,
                e.event_date or "",
                strings(e.date_precision),
                strings(e.mention),
                strings(e.place_name),
                strings(e.place_id),
                strings(e.admin1),
                strings(e.admin2),
                strings(e.event_type),
                strings(e.sub_event_type),
                strings(e.weapon),
                _num(e.fatalities),
                _num(e.injured),
                strings(e.claimed_by),
                strings(e.stance),
                _num(e.confidence, 3),
                gp,
                strings(e.sentence),
                hs,
                he,
                [strings(s) for s in sources],
            ]
        )
    legend.sort()
    art = {}
    for aid in sorted(articles):
        a = articles[aid]
        art[aid] = {"file": f"articles/{slugs[aid]}.html", "title": a.title or aid, "url": safe_url(a.url)}
    return {
        "fields": list(FIELDS),
        "events": rows,
        "strings": strings.items,
        "layers": layers,
        "subtypes": subtypes,
        "legend": legend,
        "articles": art,
        "prefix": "",
        "date_min": min(dates)[:10] if dates else None,
        "date_max": max(dates)[:10] if dates else None,
        "borders_note": BORDERS_NOTE,
    }


def _search_data(events: list[Event], search_names: dict[str, list[str]] | None) -> list[list[Any]]:
    """[place_id, name, admin1, lat, lon, [spellings]] for every mapped place."""
    places: dict[str, Event] = {}
    for e in events:
        places.setdefault(e.place_id, e)
    out = []
    for pid in sorted(places):
        e = places[pid]
        names = {e.place_name, e.mention} | set((search_names or {}).get(pid, []))
        names = {n for n in names if n}
        out.append(
            [
                pid,
                e.place_name,
                e.admin1,
                _num(e.latitude, _COORD_DIGITS),
                _num(e.longitude, _COORD_DIGITS),
                sorted(names),
            ]
        )
    return out


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n", extrasaction="raise")
        w.writeheader()
        for r in rows:
            w.writerow(
                {
                    k: _csv_text(r.get(k))
                    if isinstance(r.get(k), str)
                    else ("" if r.get(k) is None else r.get(k))
                    for k in columns
                }
            )


def _event_csv_rows(events: list[Event], articles: dict[str, Article]) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        sources = sorted(set(e.sources or []) | {e.article_id})
        urls = [u for s in sources if s in articles and (u := safe_url(articles[s].url))]
        rows.append(
            {
                "event_id_cnty": e.event_id,
                "event_date": e.event_date,
                "year": (e.event_date or "")[:4] or None,
                "time_precision": _TIME_PRECISION.get(e.date_precision or ""),
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "admin1": e.admin1,
                "admin2": e.admin2,
                "location": e.place_name,
                "latitude": _num(e.latitude, _COORD_DIGITS),
                "longitude": _num(e.longitude, _COORD_DIGITS),
                "geo_precision": e.geo_precision,
                "source": "; ".join((articles[s].title or s) if s in articles else s for s in sources),
                "notes": e.sentence,
                "fatalities": e.fatalities,
                "article_id": e.article_id,
                "role": e.role,
                "mention": e.mention,
                "place_id": e.place_id,
                "country_code": e.country_code,
                "confidence": _num(e.confidence, 3),
                "claimed_by": e.claimed_by,
                "stance": e.stance,
                "weapon": e.weapon,
                "injured": e.injured,
                "date_precision": e.date_precision,
                "sources": ";".join(sources),
                "source_urls": " ".join(urls),
                "triggers": ";".join(e.triggers),
                "char_start": e.char_start,
                "char_end": e.char_end,
            }
        )
    return rows


def _mention_rows(mentions: list[Mention]) -> list[dict[str, Any]]:
    rows = []
    for m in mentions:
        p = m.place
        rows.append(
            {
                "article_id": m.article_id,
                "mention": m.text,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "status": m.status,
                "place_id": p.place_id if p else None,
                "place_name": p.name if p else None,
                "admin1": p.admin1 if p else None,
                "latitude": _num(p.latitude, _COORD_DIGITS) if p else None,
                "longitude": _num(p.longitude, _COORD_DIGITS) if p else None,
                "geo_precision": m.geo_precision,
                "score": _num(m.confidence, 3),
                "match": m.match,
                "kind": m.kind,
                "cue": m.cue,
                "note": m.note,
                "candidates": json.dumps(
                    [c.summary() for c in m.candidates[:5]], ensure_ascii=False, sort_keys=True
                ),
            }
        )
    return rows


def _candidates_text(m: Mention) -> str:
    return "; ".join(
        f"{c.place.name} ({c.place.admin1 or c.place.country_code}) {c.score:.2f}" for c in m.candidates[:5]
    )


def _unresolved(mentions: list[Mention], articles: dict[str, Article]) -> list[dict[str, Any]]:
    rows = []
    for m in mentions:
        if m.status == "resolved":
            continue
        text = articles[m.article_id].text if m.article_id in articles else ""
        ctx = text[max(0, m.char_start - 60) : m.char_end + 60].replace("\n", " ")
        rows.append(
            {
                "article_id": m.article_id,
                "mention": m.text,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "status": m.status,
                "note": m.note,
                "match": m.match,
                "context": ctx,
                "candidates": _candidates_text(m),
            }
        )
    return rows


def _geojson(events: list[Event]) -> dict[str, Any]:
    feats = []
    for e in events:
        props = e.to_record()
        lon, lat = _num(props.pop("longitude"), _COORD_DIGITS), _num(props.pop("latitude"), _COORD_DIGITS)
        props["confidence"] = _num(e.confidence, 3)
        for key in ("title", "url", "published"):  # per-article facts: in the article pages, not 50k times
            props.pop(key, None)
        feats.append(
            {
                "type": "Feature",
                "id": e.event_id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- pages
def _jinja() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def _segments(
    article: Article,
    mentions: list[Mention],
    event_of: dict[tuple[int, int], str],
) -> list[dict[str, Any]]:
    """Split the article text into plain and highlighted (mention) segments."""
    text = article.text
    segs: list[dict[str, Any]] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: (m.char_start, -m.char_end)):
        if m.char_start < pos or not (0 <= m.char_start < m.char_end <= len(text)):
            continue  # overlapping or out-of-range span
        if m.char_start > pos:
            segs.append({"kind": "text", "text": text[pos : m.char_start]})
        status = m.status if m.status in ("resolved", "ambiguous") else "unresolved"
        if m.place is not None and status == "resolved":
            title = (
                f"{m.place.name}, {m.place.admin1 or m.place.country_code} ({m.place.place_id}) "
                f"confidence {m.confidence:.2f}"
            )
        else:
            cands = _candidates_text(m)
            title = (
                f"{status}" + (f": {m.note}" if m.note else "") + (f" — candidates: {cands}" if cands else "")
            )
        eid = event_of.get((m.char_start, m.char_end))
        href = (
            f"../index.html#event={eid}"
            if eid
            else (
                f"../index.html#place={m.place.place_id}"
                if m.place is not None and status == "resolved"
                else None
            )
        )
        segs.append(
            {
                "kind": "mention",
                "text": text[m.char_start : m.char_end],
                "status": status,
                "title": title,
                "href": href,
            }
        )
        pos = m.char_end
    if pos < len(text):
        segs.append({"kind": "text", "text": text[pos:]})
    return segs


def _build_map(data: dict[str, Any], has_boundaries: bool) -> str:
    """Assemble the folium page; returns the HTML."""
    with deterministic_ids():
        # tiles=None drops folium's max_zoom, and marker clustering then throws
        # "Map has no maxZoom specified": pass maxZoom to Leaflet explicitly.
        m = OfflineMap(
            location=[48.6, 31.3],
            zoom_start=6,
            tiles=None,
            maxZoom=18,
            minZoom=3,
            control_scale=True,
            prefer_canvas=False,
            font_size="0.8rem",
        )
        root = m.get_root()
        root.title = "geomap · conflict map"
        # An empty icon stops the browser asking the server for /favicon.ico.
        root.header.add_child(Element('<link rel="icon" href="data:,">'), name="favicon")
        root.header.add_child(Element('<meta name="referrer" content="no-referrer">'), name="referrer")
        GeomapCore(["data/events.js", "data/boundaries.js", "data/search.js"]).add_to(m)
        BoundaryLayer(
            show=has_boundaries, label="Borders (offline; Crimea in Ukraine, UNGA res. 68/262)"
        ).add_to(m)
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap tiles (online only)",
            overlay=True,
            show=False,
            control=True,
            max_zoom=18,
        ).add_to(m)
        AreaEventLayer().add_to(m)
        for i, layer in enumerate(data["layers"]):
            EventTypeLayer(i, layer["label"], show=layer["show"]).add_to(m)
        EventHeatLayer().add_to(m)
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
        LocalFullscreen(position="topleft").add_to(m)
        GeomapStart().add_to(m)
        return m.get_root().render()


def _write_site(
    tmp: Path,
    events: list[Event],
    mentions: list[Mention],
    articles: list[Article],
    boundaries: dict[str, dict] | None,
    search_names: dict[str, list[str]] | None,
    build_info: dict | None,
    npm_dir: Path,
) -> dict[str, Any]:
    arts: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: a.article_id):
        arts.setdefault(a.article_id, a)
    events = sorted(events, key=_sort_key)
    mentions = sorted(mentions, key=lambda m: (m.article_id, m.char_start, m.char_end, m.text))
    slugs = {aid: article_slug(aid) for aid in arts}
    bounds = _clean_boundaries(boundaries)
    adm1_index = {}
    for i, f in enumerate(bounds.get("adm1", {}).get("features", [])):
        adm1_index.setdefault(_fold_key(f["properties"]["name"]), i)

    copy_assets(tmp / "assets", npm_dir)
    data = _page_data(events, arts, slugs, adm1_index)
    data_dir = tmp / "data"
    _write_text(data_dir / "events.js", "window.GEOMAP_DATA = " + json_for_script(data) + ";\n")
    _write_text(
        data_dir / "boundaries.js", "window.GEOMAP_BOUNDARIES = " + json_for_script(bounds or None) + ";\n"
    )
    _write_text(
        data_dir / "search.js",
        "window.GEOMAP_SEARCH = " + json_for_script(_search_data(events, search_names)) + ";\n",
    )
    _write_text(
        data_dir / "events.geojson",
        json.dumps(
            _geojson(events), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
        + "\n",
    )
    _write_csv(data_dir / "events.csv", EVENT_CSV_COLUMNS, _event_csv_rows(events, arts))
    _write_csv(data_dir / "mentions.csv", MENTION_CSV_COLUMNS, _mention_rows(mentions))
    unresolved = _unresolved(mentions, arts)
    _write_csv(data_dir / "unresolved.csv", UNRESOLVED_CSV_COLUMNS, unresolved)

    counts = {
        "articles": len(arts),
        "events": sum(1 for e in events if e.role != "context"),
        "context_places": sum(1 for e in events if e.role == "context"),
        "events_point": sum(1 for r in data["events"] if r[FIELDS.index("kind")] == 0),
        "events_oblast_shaded": sum(1 for r in data["events"] if r[FIELDS.index("kind")] == 1),
        "events_listed_area": sum(1 for r in data["events"] if r[FIELDS.index("kind")] == 2),
        "events_undated": sum(1 for e in events if not e.event_date),
        "mentions": len(mentions),
        "mentions_resolved": sum(1 for m in mentions if m.status == "resolved"),
        "mentions_ambiguous": sum(1 for m in mentions if m.status == "ambiguous"),
        "mentions_unresolved": sum(1 for m in mentions if m.status not in ("resolved", "ambiguous")),
        "places": len({e.place_id for e in events}),
    }
    info = {"counts": counts, **(build_info or {})}
    build_json = json.dumps(info, ensure_ascii=False, sort_keys=True, indent=2, default=str)
    _write_text(data_dir / "build.json", build_json + "\n")

    env = _jinja()
    _write_text(tmp / "index.html", _build_map(data, bool(bounds.get("countries") or bounds.get("adm1"))))
    _write_text(tmp / "events.html", env.get_template("events.html").render(title="Events", prefix=""))

    grouped: Counter[tuple[str, str]] = Counter(
        (m.text, m.status) for m in mentions if m.status != "resolved"
    )
    first: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        if m.status != "resolved":
            first.setdefault((m.text, m.status), m)
    summary = []
    for (text, status), n in sorted(grouped.items(), key=lambda kv: (-kv[1], kv[0]))[:200]:
        m0 = first[(text, status)]
        summary.append(
            {
                "mention": text,
                "status": status,
                "count": n,
                "candidates": _candidates_text(m0),
                "article_id": m0.article_id,
                "article_file": f"articles/{slugs[m0.article_id]}.html" if m0.article_id in slugs else None,
            }
        )
    software = sorted({f"{src.split('/')[0]}" for src, _ in VENDORED})
    _write_text(
        tmp / "about.html",
        env.get_template("about.html").render(
            title="About",
            prefix="",
            borders_note=BORDERS_NOTE,
            counts=sorted(counts.items()),
            unresolved=summary,
            n_unresolved=len(unresolved),
            n_ambiguous=counts["mentions_ambiguous"],
            n_unres=counts["mentions_unresolved"],
            build_json=build_json,
            software=software,
        ),
    )

    by_article_m: dict[str, list[Mention]] = {}
    for m in mentions:
        by_article_m.setdefault(m.article_id, []).append(m)
    by_article_e: dict[str, list[Event]] = {}
    for e in events:
        by_article_e.setdefault(e.article_id, []).append(e)
    tpl = env.get_template("article.html")
    for aid, a in arts.items():
        ev = by_article_e.get(aid, [])
        event_of: dict[tuple[int, int], str] = {}
        for e in ev:
            event_of.setdefault((e.char_start, e.char_end), e.event_id)
        ms = by_article_m.get(aid, [])
        _write_text(
            tmp / "articles" / f"{slugs[aid]}.html",
            tpl.render(
                title=a.title or aid,
                prefix="../",
                article=a,
                url=safe_url(a.url),
                segments=_segments(a, ms, event_of),
                events=ev,
                n_resolved=sum(1 for m in ms if m.status == "resolved"),
                n_other=sum(1 for m in ms if m.status != "resolved"),
                n_events=len(ev),
            ),
        )

    files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    return {"counts": counts, "files": files}


# --------------------------------------------------------------------------- public
def render_site(
    events: list[Event],
    mentions: list[Mention],
    articles: list[Article],
    out_dir: Path,
    *,
    boundaries: dict[str, dict] | None = None,
    search_names: dict[str, list[str]] | None = None,
    build_info: dict | None = None,
) -> dict:
    """Render the offline map site into ``out_dir``, atomically.

    Parameters
    ----------
    events : list of Event
        Events and context places to map.
    mentions : list of Mention
        All place mentions (for article pages, mentions.csv, unresolved.csv).
    articles : list of Article
        Source articles (one page each).
    out_dir : pathlib.Path
        Target directory. The site is built in a temporary directory beside it
        and swapped in; on failure the previous site is left untouched.
    boundaries : dict, optional
        ``{"countries": FeatureCollection, "adm1": FeatureCollection}``; adm1
        features carry ``name`` (ACLED-style admin1) and ``iso``. Without it
        the map has no outlines and oblast-level events are listed in a panel.
    search_names : dict, optional
        place_id -> every spelling in the gazetteer, for the search box.
    build_info : dict, optional
        Extra build information shown on the about page and in data/build.json.

    Returns
    -------
    dict
        ``{"out_dir": str, "files": [relative paths], "counts": {...}, "index": str}``.
    """
    out_dir = Path(out_dir).resolve()
    npm_dir = ensure_assets()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        report = _write_site(
            tmp, list(events), list(mentions), list(articles), boundaries, search_names, build_info, npm_dir
        )
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            if old.exists():
                shutil.rmtree(old)
            out_dir.rename(old)
        try:
            tmp.rename(out_dir)
        except BaseException:
            if old is not None:
                old.rename(out_dir)  # put the previous site back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"out_dir": str(out_dir), "index": str(out_dir / "index.html"), **report}

"""The map page's data: event rows, layers and styles (``data/events.js``), search names
(``data/search.js``) and boundary outlines (``data/boundaries.js``).

Private to :mod:`geomap.render`. ``geomap.js`` and ``table.js`` read these structures
by the field names in :data:`FIELDS`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from geomap.model import Article, Event
from geomap.render._exports import COORD_DIGITS as _COORD_DIGITS
from geomap.render._exports import num as _num
from geomap.render.escape import json_for_script, safe_url

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


def fold_key(s: str) -> str:
    """Key for matching admin1 names to boundary names (case, accents, 'Oblast', punctuation).

    Parameters
    ----------
    s : str
        An admin1 or boundary feature name ("Odessa Oblast").

    Returns
    -------
    str
        The key ("odesa").
    """
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


def _round_coords(obj: Any, digits: int = 4) -> Any:
    """Round every float in nested coordinate lists to ``digits`` decimals."""
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list):
        if obj and not isinstance(obj[0], list):  # a position: its numbers in one pass
            return [round(x, digits) if isinstance(x, float) else _round_coords(x, digits) for x in obj]
        return [_round_coords(x, digits) for x in obj]
    return obj


def clean_boundaries(boundaries: dict[str, dict] | None) -> dict[str, Any]:
    """Keep geometry plus name/iso of each feature, coordinates rounded (~11 m).

    Parameters
    ----------
    boundaries : dict or None
        ``{"countries": FeatureCollection, "adm1": FeatureCollection}`` (either may be missing);
        names and ISO codes are taken from the usual Natural Earth / geoBoundaries properties.

    Returns
    -------
    dict
        The same layers (only those present), each feature with ``name`` and ``iso`` only.
    """
    out: dict[str, Any] = {}
    for key in ("countries", "adm1"):
        fc = (boundaries or {}).get(key)
        if not fc or not isinstance(fc, dict):
            continue
        out[key] = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": name, "iso": iso},
                    "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])},
                }
                for geom, name, iso in boundary_features(boundaries, key)
            ],
        }
    return out


def boundary_features(
    boundaries: dict[str, dict] | None, key: str
) -> Iterator[tuple[dict[str, Any], str, str | None]]:
    """(geometry, name, iso) of each feature of a layer that :func:`clean_boundaries` keeps, in its order.

    Parameters
    ----------
    boundaries : dict or None
        As for :func:`clean_boundaries`.
    key : str
        "countries" or "adm1".

    Yields
    ------
    (dict, str, str or None)
        Names and ISO codes from the usual Natural Earth / geoBoundaries properties.
    """
    fc = (boundaries or {}).get(key)
    if not fc or not isinstance(fc, dict):
        return
    for f in fc.get("features", []):
        geom = f.get("geometry")
        if not geom:
            continue
        p = f.get("properties") or {}
        name = p.get("name") or p.get("NAME") or p.get("shapeName") or p.get("ADMIN") or ""
        iso = p.get("iso") or p.get("ISO_A3") or p.get("ADM0_A3") or p.get("shapeISO") or p.get("iso_a3")
        yield geom, str(name), None if iso is None else str(iso)


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


def layer_of(e: Event) -> str:
    """The map layer of an event: its event type, unclassified, or context places."""
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


#: FIELDS holding indexes into the string table (``sources`` a list of them). In a chunk,
#: ``layer`` and ``subtype`` hold the indexes of their names; the unpacker makes them indexes
#: into ``layers`` and ``subtypes``.
STRING_FIELDS: tuple[str, ...] = (
    "date_precision", "mention", "place_name", "place_id", "admin1", "admin2", "event_type",
    "sub_event_type", "weapon", "claimed_by", "stance", "sentence",
)


def chunk_data(events: list[Event], adm1_index: dict[str, int]) -> dict[str, Any]:
    """One article's rows of ``window.GEOMAP_DATA`` with their own string table.

    A site's page data is the concatenation of its articles' chunks, so a rebuild
    reuses every unchanged article's chunk as it is; ``events.js`` unpacks them into
    one row list and one string table when the page loads (:data:`UNPACK_JS`).

    Parameters
    ----------
    events : list of Event
        The article's events and context places.
    adm1_index : dict
        :func:`fold_key` of an oblast name -> index of its feature in the adm1 layer; events at
        oblast precision with a polygon are shaded (kind 1), others are listed (kind 2).

    Returns
    -------
    dict
        ``{"e": rows (:data:`FIELDS`), "s": strings}``.
    """
    strings = _Strings()
    rows: list[list[Any]] = []
    for e in events:
        gp = int(e.geo_precision or 1)
        area = -1
        if gp <= 2:
            kind = 0
        elif gp == 3 and e.admin1 and fold_key(e.admin1) in adm1_index:
            kind, area = 1, adm1_index[fold_key(e.admin1)]
        else:
            kind = 2  # country level, or an oblast we have no polygon for: listed in a panel
        hs, he = _highlight(e)
        sources = sorted(set(e.sources or []) | {e.article_id})
        rows.append(
            [
                e.event_id,
                _num(e.latitude, _COORD_DIGITS),
                _num(e.longitude, _COORD_DIGITS),
                strings(layer_of(e)),
                strings(e.sub_event_type),
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
    return {"e": rows, "s": strings.items}


def page_header(
    styles: set[tuple[str, str | None]],
    articles: dict[str, Article],
    slugs: dict[str, str],
    date_range: tuple[str, str] | None,
) -> dict[str, Any]:
    """``window.GEOMAP_DATA`` without its rows: fields, layers, subtype styles, legend, articles.

    Parameters
    ----------
    styles : set of (str, str or None)
        Every (layer, sub_event_type) of the site's events (:func:`layer_of`).
    articles : dict
        article_id -> Article.
    slugs : dict
        article_id -> page slug (``articles/<slug>.html``).
    date_range : (str, str) or None
        The first and last event dates (the date filter's range); None when nothing is dated.

    Returns
    -------
    dict
        Deterministic for the same inputs: layers in ACLED's order, subtypes in the legend's.
    """
    present = {layer for layer, _ in styles}
    layer_names: list[str] = [t for t, _ in EVENT_TYPES if t in present]
    layer_names += sorted(present - set(layer_names) - {UNCLASSIFIED, CONTEXT})
    layer_names += [n for n in (UNCLASSIFIED, CONTEXT) if n in present]
    shapes = dict(EVENT_TYPES)
    layers = [
        {"label": n, "shape": shapes.get(n, "square" if n != CONTEXT else "ring"), "show": n != CONTEXT}
        for n in layer_names
    ]
    layer_idx = {n: i for i, n in enumerate(layer_names)}
    known = list(SUB_EVENT_TYPES)
    ordered = sorted(
        styles,
        key=lambda ls: (
            layer_idx[ls[0]],
            known.index(ls[1]) if ls[1] in SUB_EVENT_TYPES else len(known),
            ls[1] or "",
        ),
    )
    subtypes: list[dict[str, Any]] = []
    for layer, sub in ordered:
        if sub in SUB_EVENT_TYPES:
            colour, glyph = SUB_EVENT_TYPES[sub]
        else:
            h = int(hashlib.sha1((sub or layer).encode("utf-8")).hexdigest(), 16)
            colour = _TYPE_DEFAULT.get(layer) if sub is None else _FALLBACK_COLOURS[h % 6]
            colour = colour or _FALLBACK_COLOURS[h % 6]
            # Glyphs go into innerHTML of the icon: letters/digits only.
            glyph = re.sub(r"[^A-Za-z0-9]", "", sub or layer)[:2].upper() or "?"
        subtypes.append(
            {"name": sub or layer, "color": colour, "glyph": glyph, "layer": layer_idx[layer], "sub": sub}
        )
    art = {}
    for aid in sorted(articles):
        a = articles[aid]
        art[aid] = {"file": f"articles/{slugs[aid]}.html", "title": a.title or aid, "url": safe_url(a.url)}
    return {
        "fields": list(FIELDS),
        "string_fields": list(STRING_FIELDS),
        "events": [],
        "strings": [],
        "layers": layers,
        "subtypes": subtypes,
        "legend": [[s["layer"], i] for i, s in enumerate(subtypes)],
        "articles": art,
        "prefix": "",
        "date_min": date_range[0][:10] if date_range else None,
        "date_max": date_range[1][:10] if date_range else None,
        "borders_note": BORDERS_NOTE,
    }


#: Turns ``{...header, "chunks": [...]}`` into the page data the pages read: one string table
#: (each distinct string once), one row list sorted by date then id, layer and subtype indexes.
UNPACK_JS = """(function (d) {
  'use strict';
  var F = {}, S = [], at = Object.create(null), E = [], lay = Object.create(null);
  var sub = Object.create(null);
  d.fields.forEach(function (f, i) { F[f] = i; });
  d.layers.forEach(function (l, i) { lay[l.label] = i; });
  d.subtypes.forEach(function (s, i) { sub[s.layer + '\u0001' + (s.sub === null ? '' : s.sub)] = i; });
  var sf = d.string_fields.map(function (f) { return F[f]; });
  var L = F.layer, T = F.subtype, R = F.sources;
  d.chunks.forEach(function (c) {
    var g = c.s.map(function (s) {
      var i = at[s];
      if (i === undefined) { i = at[s] = S.length; S.push(s); }
      return i;
    });
    c.e.forEach(function (r) {
      var layer = lay[c.s[r[L]]];
      r[T] = sub[layer + '\u0001' + (r[T] < 0 ? '' : c.s[r[T]])];
      r[L] = layer;
      for (var j = 0; j < sf.length; j++) { if (r[sf[j]] >= 0) { r[sf[j]] = g[r[sf[j]]]; } }
      r[R] = r[R].map(function (x) { return g[x]; });
      E.push(r);
    });
  });
  var D = F.date, I = F.id;
  E.sort(function (a, b) {
    var x = a[D] || '9999', y = b[D] || '9999';
    if (x !== y) { return x < y ? -1 : 1; }
    return a[I] < b[I] ? -1 : (a[I] > b[I] ? 1 : 0);
  });
  d.events = E;
  d.strings = S;
  delete d.chunks;
  return d;
})"""


def write_events_js(path: Path, header: dict[str, Any], chunks: Iterable[bytes]) -> None:
    """Write ``data/events.js``: the header and the articles' chunks, unpacked on load.

    Parameters
    ----------
    path : Path
        The file.
    header : dict
        :func:`page_header`.
    chunks : iterable of bytes
        Each article's :func:`chunk_data` as :func:`~geomap.render.escape.json_for_script` text, UTF-8.
    """
    head = json_for_script(header)
    with path.open("wb") as fh:
        fh.write(f"window.GEOMAP_DATA = {UNPACK_JS}({head[:-1]},\"chunks\":[".encode())
        write_joined(fh, chunks, b",")
        fh.write(b"]});\n")


def write_joined(fh: BinaryIO, items: Iterable[bytes], sep: bytes = b"") -> None:
    """Write ``sep.join(items)`` to ``fh`` without building it (the site's data files are 100s of MB).

    Pieces are joined a few hundred at a time and written in one call each: a write per piece
    (``writelines``) goes through the file's small buffer, and one join of everything allocates
    the whole file; both were 2.5-3x slower on 127k pieces of 1.2 kB.

    Parameters
    ----------
    fh : binary file
        Open for writing.
    items : iterable of bytes
        The pieces.
    sep : bytes
        What goes between two pieces.
    """
    pieces = iter(items)
    first = True
    while chunk := list(islice(pieces, _JOIN_PIECES)):
        if not first:
            fh.write(sep)
        fh.write(sep.join(chunk))
        first = False


#: Pieces joined per write by :func:`write_joined` (a few hundred kB at the site's piece sizes).
_JOIN_PIECES = 256


def unpack_page_data(packed: dict[str, Any]) -> dict[str, Any]:
    """What :data:`UNPACK_JS` makes of the page data, in Python (for tests and tools reading events.js).

    Parameters
    ----------
    packed : dict
        The object ``events.js`` passes to the unpacker (header and ``chunks``).

    Returns
    -------
    dict
        The page data with one ``strings`` table and sorted ``events`` rows.
    """
    d = dict(packed)
    f = {n: i for i, n in enumerate(d["fields"])}
    lay = {layer["label"]: i for i, layer in enumerate(d["layers"])}
    sub = {(s["layer"], s["sub"]): i for i, s in enumerate(d["subtypes"])}
    strings: list[str] = []
    at: dict[str, int] = {}
    rows = []
    for c in d.pop("chunks"):
        g = []
        for s in c["s"]:
            i = at.get(s)
            if i is None:
                i = at[s] = len(strings)
                strings.append(s)
            g.append(i)
        for r in c["e"]:
            r = list(r)
            layer = lay[c["s"][r[f["layer"]]]]
            r[f["subtype"]] = sub[(layer, None if r[f["subtype"]] < 0 else c["s"][r[f["subtype"]]])]
            r[f["layer"]] = layer
            for name in d["string_fields"]:
                if r[f[name]] >= 0:
                    r[f[name]] = g[r[f[name]]]
            r[f["sources"]] = [g[x] for x in r[f["sources"]]]
            rows.append(r)
    rows.sort(key=lambda r: (r[f["date"]] or "9999", r[f["id"]]))
    d["events"], d["strings"] = rows, strings
    return d


def search_data(events: list[Event], search_names: dict[str, list[str]] | None) -> list[list[Any]]:
    """[place_id, name, admin1, lat, lon, [spellings]] for every mapped place.

    Parameters
    ----------
    events : list of Event
        Events; the first event of each place gives its name and coordinates.
    search_names : dict or None
        place_id -> every gazetteer spelling.

    Returns
    -------
    list of list
        One row per place, sorted by place_id.
    """
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

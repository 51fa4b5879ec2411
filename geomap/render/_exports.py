"""The site's data files for other tools: events/mentions/unresolved CSV and events GeoJSON.

Private to :mod:`geomap.render`. Rows are built from sorted records, so the files
are byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import operator
from pathlib import Path
from typing import Any

from geomap.model import Article, Event, Mention
from geomap.render.escape import finite_or_none, safe_url

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
#: Decimal places of published coordinates (~1 m).
COORD_DIGITS = 5


def num(v: object, digits: int | None = None) -> float | int | None:
    """A finite number for the data files, or None.

    Parameters
    ----------
    v : object
        A number (or anything else, which gives None).
    digits : int, optional
        Round to this many decimals; without it ints stay ints.

    Returns
    -------
    float, int or None
        None for missing, non-numeric, NaN and infinite values.
    """
    t = type(v)
    if t is float:  # fast path (millions of calls): the same result as below
        if not math.isfinite(v):
            return None
        return v if digits is None else round(v, digits)
    f = finite_or_none(v)
    if f is None:
        return None
    if digits is None:
        return int(v) if isinstance(v, int) else f
    return round(f, digits)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with ``\\n`` line ends, creating parent directories.

    Parameters
    ----------
    path : Path
        The file.
    text : str
        Its content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def csv_header(columns: tuple[str, ...]) -> str:
    """The header line of a CSV file with these columns (as :func:`csv_lines` writes a row).

    Parameters
    ----------
    columns : tuple of str
        Column names.

    Returns
    -------
    str
        One line with its ``\\n``.
    """
    return csv_lines([dict(zip(columns, columns, strict=True))], columns)[0]


def csv_lines(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[str]:
    """Each row as one CSV line (with its ``\\n``), strings defused against formula injection.

    Parameters
    ----------
    rows : list of dict
        The rows; None is written as an empty cell.
    columns : tuple of str
        Column order; a row key outside it is an error.

    Returns
    -------
    list of str
        One line per row, to be joined in any order (the site sorts events across articles).
    """
    cols = list(columns)
    allowed = set(cols)
    buf = io.StringIO()
    # A plain writer over value lists: DictWriter's per-row dict work was most of the cost at 200k rows.
    w = csv.writer(buf, lineterminator="\n")
    out = []
    for r in rows:
        if not allowed.issuperset(r):
            raise ValueError(f"dict contains fields not in fieldnames: {sorted(set(r) - allowed)}")
        # Inline (hot): defused text, an empty cell for None, numbers as they are.
        w.writerow(
            [
                ("'" + v if v[:1] in _FORMULA_START else v) if type(v) is str else ("" if v is None else v)
                for v in map(r.get, cols)
            ]
        )
        out.append(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    return out


_FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))


def event_csv_rows(events: list[Event], articles: dict[str, Article]) -> list[dict[str, Any]]:
    """Rows of ``events.csv`` (:data:`EVENT_CSV_COLUMNS`).

    Parameters
    ----------
    events : list of Event
        Events and context places, in output order.
    articles : dict
        article_id -> Article (titles and URLs of the sources).

    Returns
    -------
    list of dict
    """
    rows = []
    # Title and checked URL of each source named, computed once (not once per event, nor per article
    # of a 10k-article site when a few events are rendered).
    title_of: dict[str, str] = {}
    url_of: dict[str, str | None] = {}
    for e in events:
        sources = sorted(set(e.sources or []) | {e.article_id})
        for s in sources:
            if s not in title_of:
                a = articles.get(s)
                title_of[s] = (a.title or s) if a is not None else s
                url_of[s] = safe_url(a.url) if a is not None else None
        urls = [u for s in sources if (u := url_of.get(s))]
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
                "latitude": num(e.latitude, COORD_DIGITS),
                "longitude": num(e.longitude, COORD_DIGITS),
                "geo_precision": e.geo_precision,
                "source": "; ".join(title_of.get(s, s) for s in sources),
                "notes": e.sentence,
                "fatalities": e.fatalities,
                "article_id": e.article_id,
                "role": e.role,
                "mention": e.mention,
                "place_id": e.place_id,
                "country_code": e.country_code,
                "confidence": num(e.confidence, 3),
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


def candidates_text(m: Mention) -> str:
    """The first five candidates of a mention as ``Name (admin1) score; ...``.

    Parameters
    ----------
    m : Mention
        A mention.

    Returns
    -------
    str
        Empty when there are no candidates.
    """
    return "; ".join(
        f"{c.place.name} ({c.place.admin1 or c.place.country_code}) {c.score:.2f}" for c in m.candidates[:5]
    )


def _mention_cells(m: Mention) -> dict[str, Any]:
    """The cells ``mentions.csv`` and ``unresolved.csv`` share."""
    return {
        "article_id": m.article_id,
        "mention": m.text,
        "char_start": m.char_start,
        "char_end": m.char_end,
        "status": m.status,
        "note": m.note,
        "match": m.match,
    }


def mention_rows(mentions: list[Mention]) -> list[dict[str, Any]]:
    """Rows of ``mentions.csv`` (:data:`MENTION_CSV_COLUMNS`).

    Parameters
    ----------
    mentions : list of Mention
        All mentions, in output order.

    Returns
    -------
    list of dict
    """
    rows = []
    for m in mentions:
        p = m.place
        rows.append(
            {
                **_mention_cells(m),
                "place_id": p.place_id if p else None,
                "place_name": p.name if p else None,
                "admin1": p.admin1 if p else None,
                "latitude": num(p.latitude, COORD_DIGITS) if p else None,
                "longitude": num(p.longitude, COORD_DIGITS) if p else None,
                "geo_precision": m.geo_precision,
                "score": num(m.confidence, 3),
                "kind": m.kind,
                "cue": m.cue,
                "candidates": json.dumps(
                    [c.summary() for c in m.candidates[:5]], ensure_ascii=False, sort_keys=True
                ),
            }
        )
    return rows


def unresolved_rows(mentions: list[Mention], articles: dict[str, Article]) -> list[dict[str, Any]]:
    """Rows of ``unresolved.csv`` (:data:`UNRESOLVED_CSV_COLUMNS`): every mention not resolved.

    Parameters
    ----------
    mentions : list of Mention
        All mentions, in output order.
    articles : dict
        article_id -> Article (for 60 characters of context either side).

    Returns
    -------
    list of dict
    """
    rows = []
    for m in mentions:
        if m.status == "resolved":
            continue
        text = articles[m.article_id].text if m.article_id in articles else ""
        ctx = text[max(0, m.char_start - 60) : m.char_end + 60].replace("\n", " ")
        rows.append({**_mention_cells(m), "context": ctx, "candidates": candidates_text(m)})
    return rows


_EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Event))
_get_event_fields = operator.attrgetter(*_EVENT_FIELDS)
#: The list-valued fields (copied, as ``asdict`` does).
_EVENT_LIST_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.default_factory is list)


def event_record(e: Event) -> dict[str, Any]:
    """``e.to_record()`` without ``dataclasses.asdict``'s deep copy (an Event holds only flat values).

    Parameters
    ----------
    e : Event
        An event.

    Returns
    -------
    dict
        Equal to ``e.to_record()`` (lists copied, so the record can be changed freely).
    """
    rec = dict(zip(_EVENT_FIELDS, _get_event_fields(e), strict=True))
    for k in _EVENT_LIST_FIELDS:
        rec[k] = list(rec[k])
    return rec


def events_geojson(events: list[Event]) -> dict[str, Any]:
    """``events.geojson``: one Point feature per event with its record as properties.

    Parameters
    ----------
    events : list of Event
        Events and context places, in output order.

    Returns
    -------
    dict
        A FeatureCollection (per-article title, URL and date are left to the article pages).
    """
    feats = []
    for e in events:
        props = event_record(e)
        lon, lat = num(props.pop("longitude"), COORD_DIGITS), num(props.pop("latitude"), COORD_DIGITS)
        props["confidence"] = num(e.confidence, 3)
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

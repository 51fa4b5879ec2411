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
    data/page-digests.json  digest of each article page (a rebuild reuses unchanged pages)

The build is deterministic (sorted data, counter-based folium ids, no clock)
and atomic (written beside ``out_dir`` and swapped in). It is also incremental
where that is free of risk: an article page whose digest (template context and
templates) matches the one recorded by the site being replaced is hard-linked
from it instead of rendered; the output is the same bytes either way.

This module orchestrates; the parts live in private modules:

* :mod:`~geomap.render._mapdata` -- the map's data (events.js, search.js, boundaries.js), styles;
* :mod:`~geomap.render._exports` -- CSV and GeoJSON data files;
* :mod:`~geomap.render._pages` -- the folium map page, events table, about and article pages;
* :mod:`~geomap.render._atomic` -- building beside the target and swapping it in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geomap.model import Article, Event, Mention
from geomap.render._atomic import swap_in_dir
from geomap.render._exports import EVENT_CSV_COLUMNS as EVENT_CSV_COLUMNS  # re-exported (tests, bench)
from geomap.render._exports import (
    MENTION_CSV_COLUMNS,
    UNRESOLVED_CSV_COLUMNS,
    event_csv_rows,
    events_geojson,
    mention_rows,
    write_csv,
)
from geomap.render._exports import unresolved_rows as _unresolved  # looked up here: tests replace it
from geomap.render._exports import write_text as _write_text
from geomap.render._mapdata import FIELDS as FIELDS  # re-exported (tests, bench)
from geomap.render._mapdata import SUB_EVENT_TYPES as SUB_EVENT_TYPES
from geomap.render._mapdata import clean_boundaries, fold_key, page_data, search_data
from geomap.render._pages import article_slug as article_slug
from geomap.render._pages import build_map, jinja, write_about_page, write_article_pages, write_events_page
from geomap.render.assets import copy_assets, ensure_assets
from geomap.render.escape import json_for_script

#: slug -> digest of each article page (see :func:`~geomap.render._pages.write_article_pages`).
PAGE_DIGESTS = "page-digests.json"


def _previous_digests(previous: Path | None) -> dict[str, str]:
    """The page digests recorded by the previous site, or {} (none, or unreadable: render all)."""
    if previous is None:
        return {}
    try:
        data = json.loads((previous / "data" / PAGE_DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _sort_key(e: Event) -> tuple[str, str, str, int]:
    """Output order of events: date (undated last), id, article, offset."""
    return (e.event_date or "9999", e.event_id, e.article_id, e.char_start)


def _write_site(
    tmp: Path,
    events: list[Event],
    mentions: list[Mention],
    articles: list[Article],
    boundaries: dict[str, dict] | None,
    search_names: dict[str, list[str]] | None,
    build_info: dict | None,
    npm_dir: Path,
    previous: Path | None = None,
) -> dict[str, Any]:
    """Write the whole site into ``tmp``; returns ``{"counts": ..., "files": [...]}``.

    ``previous`` is the site being replaced: its unchanged article pages are reused.
    """
    arts: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: a.article_id):
        arts.setdefault(a.article_id, a)
    events = sorted(events, key=_sort_key)
    mentions = sorted(mentions, key=lambda m: (m.article_id, m.char_start, m.char_end, m.text))
    slugs = {aid: article_slug(aid) for aid in arts}
    bounds = clean_boundaries(boundaries)
    adm1_index = {}
    for i, f in enumerate(bounds.get("adm1", {}).get("features", [])):
        adm1_index.setdefault(fold_key(f["properties"]["name"]), i)

    copy_assets(tmp / "assets", npm_dir)
    data = page_data(events, arts, slugs, adm1_index)
    data_dir = tmp / "data"
    _write_text(data_dir / "events.js", "window.GEOMAP_DATA = " + json_for_script(data) + ";\n")
    _write_text(
        data_dir / "boundaries.js", "window.GEOMAP_BOUNDARIES = " + json_for_script(bounds or None) + ";\n"
    )
    _write_text(
        data_dir / "search.js",
        "window.GEOMAP_SEARCH = " + json_for_script(search_data(events, search_names)) + ";\n",
    )
    _write_text(
        data_dir / "events.geojson",
        json.dumps(
            events_geojson(events), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
        + "\n",
    )
    write_csv(data_dir / "events.csv", EVENT_CSV_COLUMNS, event_csv_rows(events, arts))
    write_csv(data_dir / "mentions.csv", MENTION_CSV_COLUMNS, mention_rows(mentions))
    unresolved = _unresolved(mentions, arts)
    write_csv(data_dir / "unresolved.csv", UNRESOLVED_CSV_COLUMNS, unresolved)

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

    env = jinja()
    _write_text(tmp / "index.html", build_map(data, bool(bounds.get("countries") or bounds.get("adm1"))))
    write_events_page(tmp, env)
    write_about_page(tmp, env, mentions, slugs, counts, len(unresolved), build_json)
    digests = write_article_pages(
        tmp, env, arts, slugs, events, mentions, previous, _previous_digests(previous)
    )
    _write_text(
        data_dir / PAGE_DIGESTS, json.dumps(digests, sort_keys=True, separators=(",", ":")) + "\n"
    )

    files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    return {"counts": counts, "files": files}


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
    report = swap_in_dir(
        out_dir,
        lambda tmp: _write_site(
            tmp,
            list(events),
            list(mentions),
            list(articles),
            boundaries,
            search_names,
            build_info,
            npm_dir,
            out_dir if out_dir.is_dir() else None,
        ),
    )
    return {"out_dir": str(out_dir), "index": str(out_dir / "index.html"), **report}

"""Render the offline map site: index.html (folium), tables, article pages, data files.

Layout of ``out_dir``::

    index.html            folium map (layers per event type, clusters, heat, time filter, search)
    events.html           sortable, filterable table, rows link to index.html#event=<id>
    about.html            sources, licences, Crimea note, build info, unresolved summary
    articles/<slug>.html  each source article with its mentions highlighted
    assets/               Leaflet and plugins from npm (pinned), geomap.js/css
    data/events.js        page data, one chunk per article unpacked on load (classic script:
                          file:// pages cannot fetch JSON)
    data/boundaries.js    country and oblast outlines
    data/search.js        every gazetteer spelling of the mapped places
    data/events.csv|events.geojson|mentions.csv|unresolved.csv|build.json
    data/page-digests.json  digest of each article page (a rebuild reuses unchanged pages)

The build is deterministic (sorted data, counter-based folium ids, no clock)
and atomic (written beside ``out_dir`` and swapped in). It is also incremental:
the site is joined from one part per article (:mod:`~geomap.render._parts`:
its rows of every data file, its chunk of the map's data, its page digest),
which ``geomap build`` stores with the result cache; a page whose digest
matches the one recorded by the site being replaced is hard-linked from it
instead of rendered (index.html too, when its layers are unchanged). The
output is the same bytes either way.

This module orchestrates; the parts live in private modules:

* :mod:`~geomap.render._parts` -- one article's share of everything below, stored and reused;
* :mod:`~geomap.render._mapdata` -- the map's data (events.js, search.js, boundaries.js), styles;
* :mod:`~geomap.render._exports` -- CSV and GeoJSON data files;
* :mod:`~geomap.render._pages` -- the folium map page, events table, about and article pages;
* :mod:`~geomap.render._atomic` -- building beside the target and swapping it in.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import operator
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.model import Article, Event, Mention
from geomap.render._atomic import swap_in_dir
from geomap.render._exports import EVENT_CSV_COLUMNS as EVENT_CSV_COLUMNS  # re-exported (tests, bench)
from geomap.render._exports import MENTION_CSV_COLUMNS, UNRESOLVED_CSV_COLUMNS, csv_header
from geomap.render._exports import write_text as _write_text
from geomap.render._mapdata import FIELDS as FIELDS  # re-exported (tests, bench)
from geomap.render._mapdata import SUB_EVENT_TYPES as SUB_EVENT_TYPES
from geomap.render._mapdata import (
    boundary_features,
    clean_boundaries,
    fold_key,
    page_header,
    write_events_js,
    write_joined,
)
from geomap.render._pages import (
    _link_or_copy,
    jinja,
    page_context,
    remapped_digest,
    reuse_page,
    write_about_page,
    write_article_page,
    write_events_page,
)
from geomap.render._pages import article_slug as article_slug
from geomap.render._parts import (
    EV_CSV,
    EV_GEOJSON,
    EV_SORT,
    ArticlePart,
    EntryStats,
    make_part,
    page_records,
    render_version,
)
from geomap.render.assets import copy_assets, ensure_assets
from geomap.render.escape import json_for_script

#: slug -> digest of each article page (see :func:`~geomap.render._pages.write_article_pages`).
PAGE_DIGESTS = "page-digests.json"

#: Part index -> the records of its page: (article, its mentions, its events in output order).
PageSource = Callable[[int], tuple[Article, list[Mention], list[Event]]]


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


def adm1_index(boundaries: dict[str, dict] | None) -> dict[str, int]:
    """Oblast key (:func:`~geomap.render._mapdata.fold_key`) -> index of its polygon in the site's adm1 layer.

    Parameters
    ----------
    boundaries : dict or None
        As for :func:`render_site`.

    Returns
    -------
    dict
    """
    index: dict[str, int] = {}
    for i, (_geom, name, _iso) in enumerate(boundary_features(boundaries, "adm1")):  # no rounding
        index.setdefault(fold_key(name), i)
    return index


@dataclass(slots=True)
class SiteParts:
    """The site's input, rendered per article: what :func:`write_site_parts` joins.

    ``parts`` has one :class:`~geomap.render._parts.ArticlePart` per article (input order);
    ``articles`` article_id -> Article for pages and sources; ``page_source(i)`` gives the
    records of part ``i`` when its page must be rendered (its digest changed).
    """

    parts: list[ArticlePart]
    articles: dict[str, Article]
    page_source: PageSource

    def place_ids(self) -> list[str]:
        """The places on the map (of every event and context place), sorted."""
        return sorted({place[0] for p in self.parts for _key, place in p.stats.places})


def _write_site(
    tmp: Path,
    site: SiteParts,
    boundaries: dict[str, dict] | None,
    search_names: dict[str, list[str]] | None,
    build_info: dict | None,
    npm_dir: Path,
    previous: Path | None = None,
) -> dict[str, Any]:
    """Write the whole site into ``tmp`` from its parts; returns ``{"counts": ..., "files": [...]}``.

    ``previous`` is the site being replaced: its unchanged article pages are reused.
    """
    arts = {aid: site.articles[aid] for aid in sorted(site.articles)}
    slugs = {aid: article_slug(aid) for aid in arts}
    by_id = sorted(range(len(site.parts)), key=lambda i: site.parts[i].article_id)  # stable
    parts = [site.parts[i] for i in by_id]
    entries = sorted((ev for p in parts for ev in p.events), key=operator.itemgetter(EV_SORT))
    stats = [p.stats for p in parts]
    bounds = clean_boundaries(boundaries)

    copy_assets(tmp / "assets", npm_dir)
    firsts = [st.first_date for st in stats if st.first_date is not None]
    lasts = [st.last_date for st in stats if st.last_date is not None]
    date_range = (min(firsts), max(lasts)) if firsts else None
    header = page_header({style for st in stats for style in st.styles}, arts, slugs, date_range)
    data_dir = tmp / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    write_events_js(data_dir / "events.js", header, (p.chunk for p in parts if p.chunk))
    _write_text(
        data_dir / "boundaries.js", "window.GEOMAP_BOUNDARIES = " + json_for_script(bounds or None) + ";\n"
    )
    search_rows = _search_rows(stats, search_names)  # one row per mapped place
    _write_text(data_dir / "search.js", "window.GEOMAP_SEARCH = " + json_for_script(search_rows) + ";\n")
    with (data_dir / "events.geojson").open("wb") as fh:
        fh.write(b'{"features":[')
        write_joined(fh, map(operator.itemgetter(EV_GEOJSON), entries), b",")
        fh.write(b'],"type":"FeatureCollection"}\n')
    for name, columns, lines in (
        ("events.csv", EVENT_CSV_COLUMNS, map(operator.itemgetter(EV_CSV), entries)),
        ("mentions.csv", MENTION_CSV_COLUMNS, (p.mentions_csv for p in parts)),
        ("unresolved.csv", UNRESOLVED_CSV_COLUMNS, (p.unresolved_csv for p in parts)),
    ):
        with (data_dir / name).open("wb") as fh:
            fh.write(csv_header(columns).encode("utf-8"))
            write_joined(fh, lines)
    n_unresolved = sum(p.n_unresolved for p in parts)

    kinds = [sum(k) for k in zip(*(st.kinds for st in stats), strict=True)] or [0, 0, 0]
    n_context = sum(st.n_context for st in stats)
    n_mentions = [sum(c) for c in zip(*(p.mention_counts for p in parts), strict=True)] or [0, 0, 0]
    counts = {
        "articles": len(arts),
        "events": len(entries) - n_context,
        "context_places": n_context,
        "events_point": kinds[0],
        "events_oblast_shaded": kinds[1],
        "events_listed_area": kinds[2],
        "events_undated": len(entries) - sum(st.n_dated for st in stats),
        "mentions": n_mentions[0],
        "mentions_resolved": n_mentions[1],
        "mentions_ambiguous": n_mentions[2],
        "mentions_unresolved": n_mentions[0] - n_mentions[1] - n_mentions[2],
        "places": len(search_rows),
    }
    info = {"counts": counts, **(build_info or {})}
    build_json = json.dumps(info, ensure_ascii=False, sort_keys=True, indent=2, default=str)
    _write_text(data_dir / "build.json", build_json + "\n")

    env = jinja()
    has_boundaries = bool(bounds.get("countries") or bounds.get("adm1"))
    old_digests = _previous_digests(previous)
    index_digest = _map_page(tmp, previous, old_digests, header["layers"], has_boundaries)
    write_events_page(tmp, env)
    not_resolved = [(t, st, c, why, p.article_id) for p in parts for t, st, c, why in p.not_resolved]
    write_about_page(tmp, env, not_resolved, slugs, counts, n_unresolved, build_json)
    digests = _write_article_pages(tmp, env, site, by_id, slugs, previous, old_digests)
    digests[MAP_PAGE_KEY] = index_digest
    _write_text(
        data_dir / PAGE_DIGESTS, json.dumps(digests, sort_keys=True, separators=(",", ":")) + "\n"
    )

    return {"counts": counts, "files": _files(tmp)}


def _files(root: Path) -> list[str]:
    """Relative paths of the files under ``root``, sorted (os.walk: 10k pages, no Path objects)."""
    out = []
    for dirpath, _dirs, names in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        out.extend(n if rel == "." else f"{rel}/{n}" for n in names)
    return sorted(out)


#: The map page's entry in page-digests.json (no article slug contains a slash).
MAP_PAGE_KEY = "/index.html"


def _map_page(
    tmp: Path, previous: Path | None, old: dict[str, str], layers: list[dict[str, Any]], has_boundaries: bool
) -> str:
    """Write ``index.html``, or hard-link the previous one when nothing it is made of changed.

    The folium page holds no data (that is ``data/events.js``): only the layers, whether there
    are outlines, and the code and library versions that render it. Returns its digest.
    """
    libs = " ".join(f"{lib} {importlib.metadata.version(lib)}" for lib in ("folium", "branca"))
    digest = hashlib.sha256(
        f"{render_version()}\0{libs}\0{has_boundaries}\0{json.dumps(layers, sort_keys=True)}".encode()
    ).hexdigest()
    if previous is not None and old.get(MAP_PAGE_KEY) == digest and (previous / "index.html").is_file():
        _link_or_copy(previous / "index.html", tmp / "index.html")
        return digest
    from geomap.render._mappage import build_map  # folium is imported only here

    _write_text(tmp / "index.html", build_map({"layers": layers}, has_boundaries))
    return digest


def _write_article_pages(
    tmp: Path,
    env: Any,
    site: SiteParts,
    by_id: list[int],
    slugs: dict[str, str],
    previous: Path | None,
    old: dict[str, str],
) -> dict[str, str]:
    """One page per article: hard-linked from the previous site when its digest is unchanged."""
    (tmp / "articles").mkdir(parents=True, exist_ok=True)
    previous_pages = str(previous / "articles") if previous is not None else None
    pages = str(tmp / "articles")
    digests: dict[str, str] = {}
    for i in by_id:
        part = site.parts[i]
        slug = slugs.get(part.article_id)
        if slug is None or slug in digests or not part.page_digest:
            continue  # no article (records only), or a second article with the same id
        digest = remapped_digest(part.page_digest, part.remap)
        digests[slug] = digest
        if reuse_page(previous_pages, pages, slug, digest, old):
            continue
        article, mentions, events = site.page_source(i)
        write_article_page(tmp, env, slug, page_context(article, mentions, events, part.remap))
    return digests


def _search_rows(stats: list[EntryStats], search_names: dict[str, list[str]] | None) -> list[list[Any]]:
    """[place_id, name, admin1, lat, lon, [spellings]] for every mapped place, by place_id.

    The first event of each place (in output order) gives its name and coordinates.
    """
    places: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for st in stats:
        for key, place in st.places:
            seen = places.get(place[0])
            if seen is None or key < seen[0]:
                places[place[0]] = (key, place)
    out = []
    for pid in sorted(places):
        _pid, name, admin1, lat, lon, mention = places[pid][1]
        names = {name, mention} | set((search_names or {}).get(pid, []))
        out.append([pid, name, admin1, lat, lon, sorted(n for n in names if n)])
    return out


def parts_of_records(
    events: list[Event],
    mentions: list[Mention],
    articles: list[Article],
    boundaries: dict[str, dict] | None = None,
) -> SiteParts:
    """The site's parts made from records in memory (events already merged, as given).

    Parameters
    ----------
    events, mentions, articles, boundaries
        As for :func:`render_site`.

    Returns
    -------
    SiteParts
    """
    arts: dict[str, Article] = {}
    for a in articles:
        arts.setdefault(a.article_id, a)
    ev_by: dict[str, list[Event]] = {}
    for e in events:
        ev_by.setdefault(e.article_id, []).append(e)
    m_by: dict[str, list[Mention]] = {}
    for m in mentions:
        m_by.setdefault(m.article_id, []).append(m)
    ids = list(arts) + sorted((set(ev_by) | set(m_by)) - set(arts))
    index = adm1_index(boundaries)
    parts = [make_part(arts.get(aid), aid, m_by.get(aid, []), ev_by.get(aid, []), arts, index) for aid in ids]

    def page_source(i: int) -> tuple[Article, list[Mention], list[Event]]:
        aid = ids[i]
        return page_records(arts[aid], m_by.get(aid, []), ev_by.get(aid, []))

    return SiteParts(parts, arts, page_source)


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
    site = parts_of_records(list(events), list(mentions), list(articles), boundaries)
    return render_parts(
        site, out_dir, boundaries=boundaries, search_names=search_names, build_info=build_info
    )


def render_parts(
    site: SiteParts,
    out_dir: Path,
    *,
    boundaries: dict[str, dict] | None = None,
    search_names: dict[str, list[str]] | None = None,
    build_info: dict | None = None,
) -> dict:
    """Render the site from its parts (see :func:`render_site`; what ``geomap build`` calls).

    Parameters
    ----------
    site : SiteParts
        The articles' parts (stored ones reused, merged events already applied).
    out_dir, boundaries, search_names, build_info
        As for :func:`render_site`.

    Returns
    -------
    dict
        As for :func:`render_site`.
    """
    out_dir = Path(out_dir).resolve()
    npm_dir = ensure_assets()
    report = swap_in_dir(
        out_dir,
        lambda tmp: _write_site(
            tmp,
            site,
            boundaries,
            search_names,
            build_info,
            npm_dir,
            out_dir if out_dir.is_dir() else None,
        ),
    )
    return {"out_dir": str(out_dir), "index": str(out_dir / "index.html"), **report}

"""The site's HTML pages: the events table, the about page and one page per article with its
mentions highlighted (the folium map page is :mod:`geomap.render._mappage`).

Private to :mod:`geomap.render`. Jinja templates autoescape; the map page gets its
data from ``data/*.js`` (see :mod:`geomap.render._mapdata`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from geomap.model import Article, Event, Mention
from geomap.render._exports import candidates_text as _candidates_text
from geomap.render._exports import write_text as _write_text
from geomap.render._mapdata import BORDERS_NOTE
from geomap.render.assets import VENDORED
from geomap.render.escape import safe_url

TEMPLATES = Path(__file__).resolve().parent / "templates"


def article_slug(article_id: str) -> str:
    """File-name-safe, collision-free slug for an article page (``articles/<slug>.html``).

    Parameters
    ----------
    article_id : str
        Any article id.

    Returns
    -------
    str
        The id itself when it is safe; else a cleaned id plus 8 hex digits of its SHA-1.
    """
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._")[:80] or "article"
    if base != article_id:
        # The id was changed to make it safe: add a hash so two ids cannot collide.
        base += "-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8]
    return base


def jinja() -> Environment:
    """The Jinja environment of the page templates (HTML autoescaped)."""
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


def write_events_page(out: Path, env: Environment) -> None:
    """Write ``events.html`` (the table reads its rows from ``data/events.js``).

    Parameters
    ----------
    out : Path
        The site directory.
    env : jinja2.Environment
        :func:`jinja`.
    """
    _write_text(out / "events.html", env.get_template("events.html").render(title="Events", prefix=""))


def write_about_page(
    out: Path,
    env: Environment,
    not_resolved: list[tuple[str, str, str, str | None, str]],
    slugs: dict[str, str],
    counts: dict[str, int],
    n_unresolved: int,
    build_json: str,
) -> None:
    """Write ``about.html``: sources, borders note, counts, build info, the commonest unresolved names.

    Parameters
    ----------
    out : Path
        The site directory.
    env : jinja2.Environment
        :func:`jinja`.
    not_resolved : list of tuple
        (text, status, candidates text, why (the mention's note), article_id) of every mention
        not resolved, in output order (the first of each name is its example).
    slugs : dict
        article_id -> page slug.
    counts : dict
        The site's counts (``mentions_ambiguous`` and ``mentions_unresolved`` among them).
    n_unresolved : int
        Rows of ``unresolved.csv``.
    build_json : str
        ``data/build.json`` as shown on the page.
    """
    grouped: Counter[tuple[str, str]] = Counter((text, status) for text, status, *_rest in not_resolved)
    first: dict[tuple[str, str], tuple[str, str | None, str]] = {}
    for text, status, cands, why, aid in not_resolved:
        first.setdefault((text, status), (cands, why, aid))
    summary = []
    for (text, status), n in sorted(grouped.items(), key=lambda kv: (-kv[1], kv[0]))[:200]:
        cands, why, aid = first[(text, status)]
        summary.append(
            {
                "mention": text,
                "status": status,
                "count": n,
                "why": why or "",
                "candidates": cands,
                "article_id": aid,
                "article_file": f"articles/{slugs[aid]}.html" if aid in slugs else None,
            }
        )
    software = sorted({f"{src.split('/')[0]}" for src, _ in VENDORED})
    _write_text(
        out / "about.html",
        env.get_template("about.html").render(
            title="About",
            prefix="",
            borders_note=BORDERS_NOTE,
            counts=sorted(counts.items()),
            unresolved=summary,
            n_unresolved=n_unresolved,
            n_ambiguous=counts["mentions_ambiguous"],
            n_unres=counts["mentions_unresolved"],
            build_json=build_json,
            software=software,
        ),
    )


@functools.lru_cache(maxsize=1)
def templates_digest() -> str:
    """Hash of the page templates and the versions of the libraries that render them.

    Part of every article page digest: a changed template or Jinja version re-renders every page.
    """
    libs = " ".join(f"{lib} {importlib.metadata.version(lib)}" for lib in ("jinja2", "markupsafe"))
    h = hashlib.sha256(libs.encode())
    for p in sorted(TEMPLATES.glob("*.html")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


#: Event fields an article page shows.
_PAGE_EVENT_FIELDS = (
    "event_id", "event_date", "place_name", "event_type", "role", "sub_event_type", "stance"
)


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    """Reuse a file of the previous site: a hard link (free) or, where links fail, a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def page_context(
    article: Article, mentions: list[Mention], events: list[Event], remap: dict[str, str] | None = None
) -> dict[str, Any]:
    """The template context of an article's page: its text with mentions highlighted, its events.

    Parameters
    ----------
    article : Article
        The article.
    mentions : list of Mention
        Its mentions.
    events : list of Event
        The events it reports, in output order.
    remap : dict, optional
        event_id -> the id of the map event it was merged into (the same event reported
        first by another article): links go there, the list still shows this article's report.

    Returns
    -------
    dict
    """
    remap = remap or {}
    aid = article.article_id
    event_of: dict[tuple[int, int], str] = {}
    for e in events:
        event_of.setdefault((e.char_start, e.char_end), remap.get(e.event_id, e.event_id))
    page_events = []
    for e in events:
        row = {f: getattr(e, f) for f in _PAGE_EVENT_FIELDS}
        row["event_id"] = remap.get(e.event_id, e.event_id)
        page_events.append(row)
    return {
        "title": article.title or aid,
        "prefix": "../",
        "article": {"title": article.title, "article_id": aid, "published": article.published},
        "url": safe_url(article.url),
        "segments": _segments(article, mentions, event_of),
        "events": page_events,
        "n_resolved": sum(1 for m in mentions if m.status == "resolved"),
        "n_other": sum(1 for m in mentions if m.status != "resolved"),
        "n_events": len(events),
    }


def page_digest(context: dict[str, Any]) -> str:
    """SHA-256 of a page's template context and of the templates: equal digests, equal pages."""
    return hashlib.sha256(templates_digest().encode() + pickle.dumps(context, protocol=5)).hexdigest()


def remapped_digest(digest: str, remap: dict[str, str]) -> str:
    """The digest of a page whose event links were remapped (see :func:`page_context`).

    Parameters
    ----------
    digest : str
        :func:`page_digest` of the page without ``remap``.
    remap : dict
        event_id -> merged event id; empty gives ``digest`` back.

    Returns
    -------
    str
    """
    if not remap:
        return digest
    return hashlib.sha256((digest + repr(sorted(remap.items()))).encode()).hexdigest()


def reuse_page(previous_pages: str | None, pages: str, slug: str, digest: str, old: dict[str, str]) -> bool:
    """Hard-link the previous site's page for ``slug`` when its recorded digest is ``digest``.

    Parameters
    ----------
    previous_pages : str or None
        The ``articles`` directory of the site being replaced.
    pages : str
        The ``articles`` directory being written.
    slug : str
        The page's slug.
    digest : str
        The digest of the page to write.
    old : dict
        slug -> digest recorded by the previous site.

    Returns
    -------
    bool
        True when the page was reused (nothing left to render).
    """
    if previous_pages is None or old.get(slug) != digest:
        return False
    src = os.path.join(previous_pages, f"{slug}.html")  # plain strings: 10k pages per build
    if not os.path.isfile(src):
        return False
    _link_or_copy(src, os.path.join(pages, f"{slug}.html"))
    return True


def write_article_page(out: Path, env: Environment, slug: str, context: dict[str, Any]) -> None:
    """Render ``articles/<slug>.html`` from its :func:`page_context`.

    Parameters
    ----------
    out : Path
        The site directory.
    env : jinja2.Environment
        :func:`jinja`.
    slug : str
        The page's slug.
    context : dict
        Its template context.
    """
    _write_text(out / "articles" / f"{slug}.html", env.get_template("article.html").render(**context))

"""One article's share of the site, rendered once and reused by every later build.

Everything the renderer makes of an article (its rows of ``events.csv``,
``events.geojson``, ``mentions.csv`` and ``unresolved.csv``, its chunk of the
map's data, the digest of its page) depends on that article's settled result
alone, except where the same event reported by several articles is merged
(:func:`geomap.events.dedupe`). So a part is made once per article result and
stored beside it in the result cache; a rebuild after adding one article to
10,000 joins the stored parts, makes one, and redoes only the merged events
(:func:`merge_reports`).

Private to :mod:`geomap.render`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from geomap import config
from geomap.events import dedupe
from geomap.model import Article, Event, Mention
from geomap.render._exports import (
    COORD_DIGITS,
    EVENT_CSV_COLUMNS,
    MENTION_CSV_COLUMNS,
    UNRESOLVED_CSV_COLUMNS,
    candidates_text,
    csv_lines,
    event_csv_rows,
    events_geojson,
    mention_rows,
    num,
    unresolved_rows,
)
from geomap.render._mapdata import FIELDS, chunk_data, layer_of
from geomap.render._pages import page_context, page_digest, templates_digest
from geomap.render.escape import json_for_script

#: Bump when the layout of a part changes (stored parts of another format are not read).
PART_FORMAT = "4"

# An event's entry in a part is a tuple (millions of them are unpickled per build: no objects, and
# only what is needed per event; the rest is summed up in the part's EntryStats).
EV_SORT = 0  # output order: sort_key, "date or 9999\0event_id\0article_id\0char_start"
EV_GROUP = 1  # dedupe key (place, type, sub-type, date), or None when it is never merged
EV_FIRST = 2  # which report of a merged group gives the evidence: (published or "9999", article_id)
EV_ORDER = 3  # index in the article's events as extracted (dedupe's tie-break)
EV_GEOJSON = 4  # the feature's JSON text (UTF-8: written as it is)
EV_CSV = 5  # the events.csv line (UTF-8)


@dataclass(frozen=True, slots=True)
class EntryStats:
    """What the site's counts, legend, date range and search box need of a part's event entries.

    A build reads these for 10,000 parts instead of walking their 200,000 entries (each walk
    over unpickled entries costs memory latency, not arithmetic).

    ``styles`` the distinct (layer, sub_event_type); ``places`` (sort key, (place_id, name,
    admin1, lat, lon, mention)) of each place's first event; ``kinds`` the events drawn as a
    point, an oblast polygon and a listed area (:func:`~geomap.render._mapdata.chunk_data`'s
    "kind"); ``n_context`` the context places; ``first_date``/``last_date`` the extreme dates
    and ``n_dated`` the dated events.
    """

    styles: tuple[tuple[str, str | None], ...]
    places: tuple[tuple[str, tuple[Any, ...]], ...]
    kinds: tuple[int, int, int]
    n_context: int
    first_date: str | None
    last_date: str | None
    n_dated: int


def entry_stats(events: list[Event], kinds_of: list[int]) -> EntryStats:
    """:class:`EntryStats` of a part's events, in output order, and their kinds (:data:`FIELDS` "kind")."""
    styles: dict[tuple[str, str | None], None] = {}
    places: dict[str, tuple[str, tuple[Any, ...]]] = {}
    kinds = [0, 0, 0]
    n_context = 0
    dates: list[str] = []
    for e, kind in zip(events, kinds_of, strict=True):
        styles.setdefault((layer_of(e), e.sub_event_type))
        if e.place_id not in places:  # events are in output order: the first is the earliest
            place = (
                e.place_id,
                e.place_name,
                e.admin1,
                num(e.latitude, COORD_DIGITS),
                num(e.longitude, COORD_DIGITS),
                e.mention,
            )
            places[e.place_id] = (sort_key(e), place)
        kinds[kind] += 1
        n_context += e.role == "context"
        if e.event_date is not None:
            dates.append(e.event_date)
    return EntryStats(
        tuple(styles),
        tuple(places.values()),
        (kinds[0], kinds[1], kinds[2]),
        n_context,
        dates[0] if dates else None,  # output order is by date
        dates[-1] if dates else None,
        len(dates),
    )


@dataclass(slots=True)
class ArticlePart:
    """What the site holds from one article, serialised.

    ``events`` are :data:`EV_SORT`... tuples in output order; ``chunk`` is the article's
    page data (:func:`~geomap.render._mapdata.chunk_data`) as script-safe JSON;
    ``mentions_csv`` and ``unresolved_csv`` its lines of those files (an article's
    mentions are contiguous there), all UTF-8 as the files take them; ``not_resolved``
    (text, status, candidates, why) of
    each mention not resolved, for the about page; ``page_digest`` the digest of its
    page (empty when it has none); ``remap`` event_id -> the merged event it went into;
    ``stats`` the :class:`EntryStats` of ``events`` (made with them by :func:`event_entries`).
    """

    article_id: str
    events: list[tuple[Any, ...]]
    chunk: bytes
    mentions_csv: bytes
    unresolved_csv: bytes
    n_unresolved: int
    not_resolved: list[tuple[str, str, str, str | None]]
    mention_counts: tuple[int, int, int]  # (mentions, resolved, ambiguous)
    page_digest: str
    stats: EntryStats
    remap: dict[str, str] = field(default_factory=dict)


def sort_key(e: Event) -> str:
    """Output order of events: date (undated last), id, article, offset, as one string.

    The fields are joined by NUL, which sorts before every other character, so the string
    orders as the tuple of fields would; one string compares 4-5x faster than a tuple when a
    build sorts 200k events (the offset is zero-padded; a NUL inside an id would become U+0001).
    """
    article = e.article_id.replace("\0", "\1")
    return f"{e.event_date or '9999'}\0{e.event_id}\0{article}\0{e.char_start:012d}"


def _mention_key(m: Mention) -> tuple[int, int, str]:
    return (m.char_start, m.char_end, m.text)


def page_records(
    article: Article, mentions: list[Mention], events: list[Event]
) -> tuple[Article, list[Mention], list[Event]]:
    """An article's records as its page shows them: mentions by offset, events in output order.

    Parameters
    ----------
    article : Article
        The article.
    mentions : list of Mention
        Its mentions.
    events : list of Event
        Its events as extracted.

    Returns
    -------
    (Article, list of Mention, list of Event)
    """
    return article, sorted(mentions, key=_mention_key), [e for _i, e in ordered_events(events)]


def ordered_events(events: list[Event]) -> list[tuple[int, Event]]:
    """(index as extracted, event) in output order (the order of a part's event entries)."""
    return sorted(enumerate(events), key=lambda ie: sort_key(ie[1]))


def event_entries(
    events: list[tuple[int, Event]], articles: dict[str, Article], adm1_index: dict[str, int]
) -> tuple[list[tuple[Any, ...]], bytes, EntryStats]:
    """The part entries, the page-data chunk and the :class:`EntryStats` of events in output order.

    Parameters
    ----------
    events : list of (int, Event)
        :func:`ordered_events` (or merged events in the same places).
    articles : dict
        article_id -> Article (titles and URLs of every source the events name).
    adm1_index : dict
        Oblast key -> index of its polygon (see :func:`~geomap.render._mapdata.chunk_data`).

    Returns
    -------
    (list of tuple, bytes, EntryStats)
    """
    evs = [e for _i, e in events]
    if not evs:
        return [], b"", entry_stats([], [])
    chunk = chunk_data(evs, adm1_index)
    feats = events_geojson(evs)["features"]
    lines = csv_lines(event_csv_rows(evs, articles), EVENT_CSV_COLUMNS)
    kind_at = FIELDS.index("kind")
    stats = entry_stats(evs, [row[kind_at] for row in chunk["e"]])
    out = []
    for (order, e), feat, line in zip(events, feats, lines, strict=True):
        group = (
            (e.place_id, e.event_type, e.sub_event_type, e.event_date)
            if e.role == "event" and e.event_date is not None
            else None
        )
        out.append(
            (
                sort_key(e),
                group,
                (e.published or "9999", e.article_id),
                order,
                json.dumps(
                    feat, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
                ).encode("utf-8"),
                line.encode("utf-8"),
            )
        )
    return out, json_for_script(chunk).encode("utf-8"), stats


def make_part(
    article: Article | None,
    article_id: str,
    mentions: list[Mention],
    events: list[Event],
    articles: dict[str, Article],
    adm1_index: dict[str, int],
) -> ArticlePart:
    """Render one article's share of the site.

    Parameters
    ----------
    article : Article or None
        The article (None for records whose article is not known: no page, no context).
    article_id : str
        Its id.
    mentions : list of Mention
        Its mentions.
    events : list of Event
        Its events and context places, as extracted.
    articles : dict
        article_id -> Article, at least every source the events name.
    adm1_index : dict
        Oblast key -> index of its polygon.

    Returns
    -------
    ArticlePart
    """
    ordered = ordered_events(events)
    entries, chunk, stats = event_entries(ordered, articles, adm1_index)
    ms = sorted(mentions, key=_mention_key)
    texts = {article_id: article} if article is not None else {}
    unresolved = unresolved_rows(ms, texts)
    not_resolved = [(m.text, m.status, candidates_text(m), m.note) for m in ms if m.status != "resolved"]
    digest = ""
    if article is not None:
        digest = page_digest(page_context(article, ms, [e for _i, e in ordered]))  # as page_records
    return ArticlePart(
        article_id=article_id,
        events=entries,
        chunk=chunk,
        mentions_csv="".join(csv_lines(mention_rows(ms), MENTION_CSV_COLUMNS)).encode("utf-8"),
        unresolved_csv="".join(csv_lines(unresolved, UNRESOLVED_CSV_COLUMNS)).encode("utf-8"),
        n_unresolved=len(unresolved),
        not_resolved=not_resolved,
        mention_counts=(
            len(ms),
            sum(1 for m in ms if m.status == "resolved"),
            sum(1 for m in ms if m.status == "ambiguous"),
        ),
        page_digest=digest,
        stats=stats,
    )


def merge_reports(
    parts: list[ArticlePart],
    events_of: Callable[[int], list[Event]],
    articles: dict[str, Article],
    adm1_index: dict[str, int],
    memo: MergeMemo | None = None,
) -> tuple[list[ArticlePart], int]:
    """Merge the same event reported by several articles, as :func:`geomap.events.dedupe` does.

    Only the parts holding a report of a merged event change: the first report becomes the
    merged event (all sources, the largest counts, disputed when claimed and denied), the
    others leave the map and their article's page links to the merged one.

    Parameters
    ----------
    parts : list of ArticlePart
        One per article, in input order.
    events_of : callable
        Part index -> that article's events as extracted (loaded only for the parts that change).
    articles : dict
        article_id -> Article (titles and URLs of the merged sources).
    adm1_index : dict
        Oblast key -> index of its polygon.
    memo : MergeMemo, optional
        Changed parts of earlier builds, by what they were merged with: a rebuild redoes only
        the merges a new article takes part in.

    Returns
    -------
    (list of ArticlePart, int)
        The parts (changed ones replaced) and the number of reports merged away.
    """
    groups: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for pi, part in enumerate(parts):
        for ei, ev in enumerate(part.events):
            if ev[EV_GROUP] is not None:
                groups.setdefault(ev[EV_GROUP], []).append((pi, ei))
    multi = [members for members in groups.values() if len(members) > 1]
    if not multi:
        return parts, 0
    touching: dict[int, list[list[tuple[int, int]]]] = {}
    for members in multi:
        # dedupe's order: articles as given, events as extracted; its first report wins ties
        members.sort(key=lambda pe: (pe[0], parts[pe[0]].events[pe[1]][EV_ORDER]))
        for pi in dict.fromkeys(pi for pi, _ in members):
            touching.setdefault(pi, []).append(members)
    out = list(parts)
    signature: dict[int, str] = {}
    todo: set[int] = set()
    for pi, its in touching.items():
        if memo is not None:
            orders = [[(pj, parts[pj].events[ej][EV_ORDER]) for pj, ej in m] for m in its]
            signature[pi] = memo.signature(pi, orders)
            stored = memo.get(signature[pi])
            if isinstance(stored, ArticlePart):
                out[pi] = stored
                continue
        todo.add(pi)
    loaded: dict[int, list[tuple[int, Event]]] = {}

    def ordered(pi: int) -> list[tuple[int, Event]]:
        if pi not in loaded:
            loaded[pi] = ordered_events(events_of(pi))
        return loaded[pi]

    replaced: dict[tuple[int, int], Event] = {}
    removed: set[tuple[int, int]] = set()
    remaps: dict[int, dict[str, str]] = {}
    for members in {id(m): m for pi in todo for m in touching[pi]}.values():
        reports = [ordered(pi)[ei][1] for pi, ei in members]
        (merged,) = dedupe(reports)
        first = min(range(len(members)), key=lambda j: parts[members[j][0]].events[members[j][1]][EV_FIRST])
        for j, (pi, ei) in enumerate(members):
            if j == first:
                replaced[(pi, ei)] = merged
            else:
                removed.add((pi, ei))
                remaps.setdefault(pi, {})[reports[j].event_id] = merged.event_id
    for pi in sorted(todo):
        kept = [
            (order, replaced.get((pi, ei), e))
            for ei, (order, e) in enumerate(ordered(pi))
            if (pi, ei) not in removed
        ]
        entries, chunk, stats = event_entries(kept, articles, adm1_index)
        out[pi] = dataclasses.replace(
            parts[pi], events=entries, chunk=chunk, stats=stats, remap=remaps.get(pi, {})
        )
        if memo is not None:
            memo.put(signature[pi], out[pi])
    n_removed = sum(len(m) - 1 for m in multi)
    return out, n_removed


@dataclass(slots=True)
class MergeMemo:
    """Where :func:`merge_reports` keeps the parts it changed, by what they were merged with.

    ``names[i]`` names part ``i``'s stored result (article key and decisive places);
    ``get``/``put`` read and write a part by signature (the result cache's object store).
    """

    names: list[str]
    get: Callable[[str], Any]
    put: Callable[[str, ArticlePart], None]

    def signature(self, pi: int, groups: list[list[tuple[int, int]]]) -> str:
        """Part ``pi``'s name and, for each merged group it is in, its members' names and event indexes."""
        desc = [self.names[pi]] + sorted(
            "|".join(f"{self.names[pj]}:{order}" for pj, order in members) for members in groups
        )
        return hashlib.sha256("\n".join(desc).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def render_version() -> str:
    """Hash of the renderer's code, templates and template libraries: part of where parts are stored.

    The rest (records, parser, gazetteer) is covered by the result cache's namespace.

    Returns
    -------
    str
        16 hex digits.
    """
    h = hashlib.sha256(f"{PART_FORMAT}\0{templates_digest()}".encode())
    render_dir = config.PACKAGE_DIR / "render"
    for p in sorted(render_dir.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".js", ".css", ".html"):
            h.update(str(p.relative_to(render_dir)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]

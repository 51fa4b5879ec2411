"""Per-article result cache: rebuild a 10k-article site by parsing only what changed.

An entry is keyed by a SHA-256 of the article's content (id, title, text,
publication date, URL) and lives under a *namespace* directory named after
the gazetteer version and the code version (a hash of the parser's Python
sources and the curated lexicon and alias files). A new gazetteer or a code
change therefore gives a new namespace: stale results are never served, and
old namespaces can be dropped with :meth:`ResultCache.prune`.

Layout::

    root/<namespace>/<key[:2]>/<key>.pkl

An entry is a pickle of plain tuples (the mentions, events and one table of
the places they refer to; the article itself is the key and is not stored),
written to a temporary file and renamed into place (``os.replace``), so a
reader never sees a half-written entry, even with several processes writing
at once. Cached mentions keep their :data:`CANDIDATES_KEPT` best candidates;
everything else equals a fresh parse. Entries are trusted local files (the
cache directory is the user's own, like the gazetteer index).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap import config
from geomap.model import Article, Candidate, Event, Mention, Place
from geomap.pipeline import ArticleResult

#: Bump when the entry format changes incompatibly.
FORMAT = "2"

#: Candidates kept per cached mention: mention records and the site show the top 5, and the long
#: tail (up to hundreds for "Andriivka") is most of an entry's size and load time.
CANDIDATES_KEPT = 5

_PLACE_FIELDS = [f.name for f in dataclasses.fields(Place)]
_MENTION_FIELDS = [f.name for f in dataclasses.fields(Mention)]
_EVENT_FIELDS = [f.name for f in dataclasses.fields(Event)]
_M_CANDS = _MENTION_FIELDS.index("candidates")
_M_PLACE = _MENTION_FIELDS.index("place")


def _encode(mentions: list[Mention], events: list[Event]) -> tuple:
    """Records as plain tuples with one table of the places they refer to (fast to unpickle)."""
    index: dict[str, int] = {}
    places: list[tuple] = []

    def ref(p: Place | None) -> int:
        if p is None:
            return -1
        i = index.get(p.place_id)
        if i is None:
            i = index[p.place_id] = len(places)
            places.append(tuple(getattr(p, f) for f in _PLACE_FIELDS))
        return i

    ms = []
    for m in mentions:
        row = [getattr(m, f) for f in _MENTION_FIELDS]
        row[_M_CANDS] = tuple(
            (ref(c.place), c.alias, c.scheme, c.name_score, c.score, tuple(c.reasons))
            for c in m.candidates[:CANDIDATES_KEPT]
        )
        row[_M_PLACE] = ref(m.place)
        ms.append(tuple(row))
    return places, ms, [tuple(getattr(e, f) for f in _EVENT_FIELDS) for e in events]


def _decode(blob: tuple) -> tuple[list[Mention], list[Event]]:
    rows, ms, es = blob
    places = [Place(*r) for r in rows]
    mentions = []
    for r in ms:
        row = list(r)
        row[_M_CANDS] = [Candidate(places[c[0]], c[1], c[2], c[3], c[4], list(c[5])) for c in r[_M_CANDS]]
        row[_M_PLACE] = places[r[_M_PLACE]] if r[_M_PLACE] >= 0 else None
        mentions.append(Mention(*row))
    events = []
    for r in es:
        e = Event(*r)
        e.triggers, e.sources = list(e.triggers), list(e.sources)
        events.append(e)
    return mentions, events


#: Sub-packages whose code does not change parse results (rendering only).
_IRRELEVANT = {"render"}


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of everything that shapes a parse result besides the gazetteer.

    Covers ``geomap/**/*.py`` (except the renderer) and the curated files under
    :data:`geomap.config.CURATED_DIR` (lexicon word lists, aliases). Computed
    once per process.

    Returns
    -------
    str
        16 hex digits.
    """
    h = hashlib.sha256(FORMAT.encode())
    files = [
        p
        for p in config.PACKAGE_DIR.rglob("*.py")
        if p.relative_to(config.PACKAGE_DIR).parts[0] not in _IRRELEVANT
    ]
    if config.CURATED_DIR.is_dir():
        files += [p for p in config.CURATED_DIR.rglob("*") if p.is_file()]
    for p in sorted(files):
        h.update(str(p.relative_to(p.parents[1])).encode())  # name: a renamed file is a change too
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


_code_version = code_version  # the constructor argument shadows the function


def article_key(article: Article) -> str:
    """SHA-256 of the article fields that parsing reads.

    Parameters
    ----------
    article : Article
        The article.

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    published = article.published.isoformat() if article.published else ""
    parts = (
        article.article_id,
        article.title,
        published,
        article.published_source or "",
        article.url or "",
        article.text,
    )
    for part in parts:
        b = part.encode("utf-8", errors="surrogatepass")
        # Length-prefixed so that field boundaries cannot be shifted between fields.
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


class ResultCache:
    """On-disk cache of :class:`~geomap.pipeline.ArticleResult` per article.

    Parameters
    ----------
    root : Path
        Cache directory (created on demand), e.g. ``config.home() / "cache"``.
    gazetteer_version : str
        :attr:`Gazetteer.version` of the gazetteer the results come from.
    code_version : str, optional
        Defaults to :func:`code_version` (hash of the parser's sources).

    Examples
    --------
    >>> cache = ResultCache(Path(".geomap/cache"), gaz.version)  # doctest: +SKIP
    >>> res = cache.get(article) or pipe.process(article)  # doctest: +SKIP
    """

    def __init__(self, root: Path, gazetteer_version: str, code_version: str | None = None) -> None:
        self.root = Path(root)
        self.gazetteer_version = gazetteer_version
        self.code_version = code_version if code_version is not None else _code_version()
        ns = hashlib.sha256(f"{gazetteer_version}\0{self.code_version}\0{FORMAT}".encode()).hexdigest()[:20]
        self.namespace = ns
        self.dir = self.root / ns
        self.hits = 0
        self.misses = 0
        self.get_seconds = 0.0  # wall time spent in get() (the cache-load share of a rebuild)

    def _path(self, article: Article, variant: str = "") -> Path:
        key = article_key(article)
        if variant:
            # A result settled by the rest of the corpus (Pipeline.revisit), per set of decisive places.
            return self.dir / "revisited" / key[:2] / f"{key}-{variant}.pkl"
        return self.dir / key[:2] / f"{key}.pkl"

    def get(self, article: Article, variant: str = "") -> ArticleResult | None:
        """The cached result for ``article`` (its ``variant``, if given), or None.

        An unreadable entry (truncated by a full disk, written by another
        format) counts as a miss and is removed.
        """
        t = time.perf_counter()
        try:
            path = self._path(article, variant)
            try:
                data = path.read_bytes()
            except OSError:
                self.misses += 1
                return None
            try:
                mentions, events = _decode(pickle.loads(data))
            except Exception:  # noqa: BLE001 - any damaged entry is just a miss
                path.unlink(missing_ok=True)
                self.misses += 1
                return None
        finally:
            self.get_seconds += time.perf_counter() - t
        self.hits += 1
        # The article itself is not stored (it is the key): attach the caller's object.
        return ArticleResult(article, mentions, events)

    def put(self, article: Article, result: ArticleResult, variant: str = "") -> None:
        """Store ``result`` for ``article`` (as its ``variant``, if given) atomically (temp + ``os.replace``).

        A skipped article is not stored: its reason must be reported again next time.
        """
        if result.skipped:
            return
        payload = pickle.dumps(_encode(result.mentions, result.events), protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomic(self._path(article, variant), payload)

    def get_object(self, kind: str, name: str) -> Any | None:
        """A pickled object stored with :meth:`put_object`, or None (absent or unreadable: removed).

        Parameters
        ----------
        kind : str
            A sub-directory of the namespace (``"site-parts-<render version>"``).
        name : str
            The object's name (a hex key).

        Returns
        -------
        object or None
        """
        path = self._object_path(kind, name)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged entry is just a miss
            path.unlink(missing_ok=True)
            return None

    def put_object(self, kind: str, name: str, obj: Any) -> None:
        """Store ``obj`` (pickled) under ``kind/name`` atomically (temp + ``os.replace``).

        Parameters
        ----------
        kind : str
            A sub-directory of the namespace.
        name : str
            The object's name.
        obj : Any
            A picklable object.
        """
        _write_atomic(self._object_path(kind, name), pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def _object_path(self, kind: str, name: str) -> Path:
        if "/" in kind or "/" in name or kind.startswith(".") or name.startswith("."):
            raise ValueError(f"not a cache object name: {kind}/{name}")
        return self.dir / kind / name[:2] / f"{name}.pkl"

    def mark_used(self) -> None:
        """Record that a build used this namespace now (what :meth:`prune` keeps by)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / _USED).touch()

    def prune(self, keep: int = 1) -> int:
        """Delete all namespaces but the current one and the ``keep - 1`` most recently used others.

        Every change of the gazetteer or of the parser's code starts a new namespace: without
        pruning, a cache grows by a whole corpus's results at each upgrade. Keeping one
        earlier namespace lets a user switch back once without reparsing.

        Parameters
        ----------
        keep : int
            Namespaces to keep, the current one included (at least 1).

        Returns
        -------
        int
            How many namespaces were removed.
        """
        if not self.root.is_dir():
            return 0
        others = [d for d in self.root.iterdir() if d.is_dir() and d.name != self.namespace]
        others.sort(key=_last_used, reverse=True)
        removed = 0
        for d in others[max(0, keep - 1) :]:
            shutil.rmtree(d, ignore_errors=True)
            removed += 1
        return removed

    def prune_kinds(self, prefix: str, current: str) -> int:
        """Delete the object kinds named ``prefix*`` other than ``current`` (a renderer's older parts).

        Parameters
        ----------
        prefix : str
            E.g. ``"site-parts-"``.
        current : str
            The kind in use, e.g. ``"site-parts-<render version>"``.

        Returns
        -------
        int
            How many kinds were removed.
        """
        if not self.dir.is_dir():
            return 0
        removed = 0
        for d in self.dir.iterdir():
            if d.is_dir() and d.name.startswith(prefix) and d.name != current:
                shutil.rmtree(d, ignore_errors=True)
                removed += 1
        return removed

    def __len__(self) -> int:
        """Number of entries in the current namespace."""
        if not self.dir.is_dir():
            return 0
        return sum(1 for _ in self.dir.glob("*/*.pkl"))


#: The file whose modification time says when a build last used a namespace.
_USED = ".used"


def _last_used(d: Path) -> float:
    """When a namespace was last used by a build (its directory's mtime before this marker existed)."""
    try:
        return (d / _USED).stat().st_mtime
    except OSError:
        try:
            return d.stat().st_mtime
        except OSError:
            return 0.0


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_cache_dir() -> Path:
    """Where ``geomap parse --cache`` keeps results: ``$GEOMAP_HOME/cache``."""
    return config.home() / "cache"

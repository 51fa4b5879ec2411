"""Front-end assets: pinned npm packages, copied into each site.

folium loads everything from CDNs, so an offline page is blank. We install
the packages pinned in ``npm/package-lock.json`` once (``npm ci``) into
``config.home()/"npm"`` and copy the few files the page needs into
``<site>/assets/``; every element's ``default_js``/``default_css`` is then
pointed at those copies (see :data:`JS` and :data:`CSS`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from geomap import config

NPM_DIR = Path(__file__).resolve().parent / "npm"
STATIC_DIR = Path(__file__).resolve().parent / "templates" / "static"

#: (file under node_modules, path under <site>/assets). Images sit beside
#: the CSS that refers to them by relative url().
VENDORED: tuple[tuple[str, str], ...] = (
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images/layers.png", "leaflet/images/layers.png"),
    ("leaflet/dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("leaflet/dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet/dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet/dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("leaflet.markercluster/dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"),
    ("leaflet.markercluster/dist/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    ("leaflet.markercluster/dist/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"),
    ("leaflet.markercluster/MIT-LICENCE.txt", "markercluster/LICENSE"),
    ("leaflet.heat/dist/leaflet-heat.js", "heat/leaflet-heat.js"),
    ("leaflet.heat/LICENSE", "heat/LICENSE"),
    ("leaflet.fullscreen/Control.FullScreen.js", "fullscreen/Control.FullScreen.js"),
    ("leaflet.fullscreen/Control.FullScreen.css", "fullscreen/Control.FullScreen.css"),
    ("leaflet.fullscreen/icon-fullscreen.svg", "fullscreen/icon-fullscreen.svg"),
    ("leaflet.fullscreen/LICENSE", "fullscreen/LICENSE"),
)

#: Our own static files (templates/static/<name> -> assets/geomap/<name>).
OWN_STATIC: tuple[str, ...] = ("geomap.js", "geomap.css", "table.js", "pages.css")

#: Local (name, path) pairs that replace folium's CDN entries, by element.
JS: dict[str, list[tuple[str, str]]] = {
    "map": [("leaflet", "assets/leaflet/leaflet.js")],
    "cluster": [("markerclusterjs", "assets/markercluster/leaflet.markercluster.js")],
    "heat": [("leaflet-heat.js", "assets/heat/leaflet-heat.js")],
    "fullscreen": [("Control.FullScreen.js", "assets/fullscreen/Control.FullScreen.js")],
    "geomap": [("geomap.js", "assets/geomap/geomap.js")],
}
CSS: dict[str, list[tuple[str, str]]] = {
    "map": [("leaflet_css", "assets/leaflet/leaflet.css")],
    "cluster": [
        ("markerclustercss", "assets/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", "assets/markercluster/MarkerCluster.Default.css"),
    ],
    "heat": [],
    "fullscreen": [("Control.FullScreen.css", "assets/fullscreen/Control.FullScreen.css")],
    "geomap": [("geomap.css", "assets/geomap/geomap.css")],
}

# url(//host/...) and url(http...) in vendored CSS would fetch from the network.
_REMOTE_CSS_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)


def _lock_digest() -> str:
    h = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        h.update((NPM_DIR / name).read_bytes())
    return h.hexdigest()


def ensure_assets() -> Path:
    """Install the pinned npm packages once and return the install directory.

    Runs ``npm ci`` from the committed lock file into
    ``geomap.config.home()/"npm"``; later calls return at once while the
    lock file is unchanged. The install happens in a temporary directory that
    is renamed into place, so an interrupted install is never used.

    Returns
    -------
    pathlib.Path
        The directory holding ``node_modules``.

    Raises
    ------
    RuntimeError
        When npm is not installed or ``npm ci`` fails (one-line message).
    """
    target = config.home() / "npm"
    stamp = target / ".geomap-lock-sha256"
    digest = _lock_digest()
    if stamp.is_file() and stamp.read_text().strip() == digest and (target / "node_modules").is_dir():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm not found: install Node.js/npm (e.g. `apt-get install -y npm`) to vendor the map's "
            "JS/CSS assets, or set GEOMAP_HOME to a directory that already holds them"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".npm-", dir=target.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(NPM_DIR / name, work / name)
        proc = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"npm ci failed in {work} (exit {proc.returncode}): {last}")
        (work / stamp.name).write_text(digest + "\n")
        old = None
        if target.exists():
            old = target.with_name(f".npm-old-{os.getpid()}")
            target.rename(old)
        work.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


def _clean_css(text: str) -> str:
    """Drop remote url() references (protocol-relative included) from CSS."""
    return _REMOTE_CSS_URL.sub("none", text)


def copy_assets(dest: Path, npm_dir: Path | None = None) -> list[Path]:
    """Copy the vendored and own assets into ``dest`` (``<site>/assets``).

    Parameters
    ----------
    dest : pathlib.Path
        Target directory; created if missing.
    npm_dir : pathlib.Path, optional
        Result of :func:`ensure_assets`; computed when omitted.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    npm_dir = npm_dir or ensure_assets()
    modules = npm_dir / "node_modules"
    written: list[Path] = []
    for src_rel, dst_rel in VENDORED:
        src = modules / src_rel
        dst = dest / dst_rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".css":
            dst.write_text(_clean_css(src.read_text(encoding="utf-8")), encoding="utf-8")
        elif src.suffix == ".js":
            # Source maps are not shipped; the comment would make devtools ask for them.
            dst.write_text(_SOURCE_MAP.sub("", src.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copyfile(src, dst)
        written.append(dst)
    own = dest / "geomap"
    own.mkdir(parents=True, exist_ok=True)
    for name in OWN_STATIC:
        shutil.copyfile(STATIC_DIR / name, own / name)
        written.append(own / name)
    return written

"""Benchmark the gazetteer: press-spelling accuracy, cold start, memory, build time.

Usage::

    python bench/bench_gazetteer.py            # uses the built index (make gazetteer)
    python bench/bench_gazetteer.py --build    # also times a full build into a temporary directory

Targets: >= 97 % of press spellings resolved to the right place with no context,
cold start to the first search < 0.5 s, RSS with the automaton < 400 MB, build < 60 s.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geomap._geo import haversine_km

REPO = Path(__file__).resolve().parents[1]
PRESS = REPO / "tests" / "data" / "press_spellings.tsv"


def read_press(path: Path = PRESS) -> list[dict[str, str]]:
    """Rows of the press-spellings list (comment lines skipped)."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def found(row: dict[str, str], place: object) -> bool:
    """A settlement within 10 km of the expected point; an oblast-level name, that oblast.

    An oblast's point is its administrative centre (ACLED's convention), not the point the
    list gives for it, so oblast-level names are checked by the name of the unit found.
    """
    if row["origin"] == "oblast":
        return place.feature in ("oblast", "region") and row["expected_name"] in (place.name, place.admin1)  # type: ignore[attr-defined]
    return (
        haversine_km(float(row["latitude"]), float(row["longitude"]), place.latitude, place.longitude)  # type: ignore[attr-defined]
        <= 10.0
    )


def press_accuracy(gaz: object, rows: list[dict[str, str]]) -> tuple[float, list[str]]:
    """Share of spellings whose first candidate lies within tolerance of the expected point."""
    misses = []
    for r in rows:
        cands = gaz.search(r["spelling"], limit=1)  # type: ignore[attr-defined]
        ok = bool(cands) and found(r, cands[0].place)
        if not ok:
            got = (
                f"{cands[0].place.name} ({cands[0].place.admin1}, {cands[0].place.country_code})"
                if cands
                else "-"
            )
            misses.append(f"{r['spelling']} [{r['origin']}] expected {r['expected_name']}, got {got}")
    return 1 - len(misses) / len(rows), misses


def _time_cmd(code: str, env: dict[str, str], runs: int = 5) -> float:
    best = math.inf
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=None, help="index directory (default: the configured one)")
    ap.add_argument("--build", action="store_true", help="also time a full build")
    ap.add_argument("--sources", type=Path, default=None, help="raw sources (default $GEOMAP_SOURCES)")
    args = ap.parse_args()

    from geomap import config
    from geomap.gazetteer import Gazetteer, build_gazetteer

    env = dict(os.environ)
    if args.build:
        sources = args.sources or config.sources_dir()
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            rep = build_gazetteer(sources, Path(tmp) / "gazetteer", log=lambda _m: None)
            print(
                f"build: {time.perf_counter() - t:.1f} s ({rep['places']} places, "
                f"{rep['counts']['aliases']} aliases, {rep['counts']['automaton_keys']} automaton keys; "
                f"target < 60 s)"
            )
    index = args.index or config.index_dir()
    env["GEOMAP_INDEX"] = str(index)

    gaz = Gazetteer.load(index)
    rows = read_press()
    acc, misses = press_accuracy(gaz, rows)
    print(f"press spellings: {acc:.1%} of {len(rows)} first-candidate correct (target >= 97%)")
    for m in misses:
        print(f"  miss: {m}")

    bare = _time_cmd("pass", env)
    cold = _time_cmd("from geomap.gazetteer import Gazetteer; Gazetteer.load().search('Kupiansk')", env)
    print(
        f"cold start to first search: {cold:.3f} s total, {cold - bare:.3f} s over a bare interpreter "
        f"({bare:.3f} s) (target < 0.5 s)"
    )

    # VmHWM (peak) and VmRSS of the child itself: ru_maxrss would carry over the parent's peak.
    code = (
        "from geomap.gazetteer import Gazetteer; g = Gazetteer.load(); g.automaton(); g.search('Kupiansk');"
        "st = {l.split(':')[0]: int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('Vm')};"
        "print(st['VmHWM'], st['VmRSS'])"
    )
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    load_s = time.perf_counter() - t
    peak_kb, rss_kb = (int(x) for x in out.stdout.split())
    print(
        f"memory with automaton: RSS {rss_kb / 1024:.0f} MB, peak {peak_kb / 1024:.0f} MB "
        f"(target < 400 MB); process start + load incl. automaton {load_s:.2f} s"
    )

    t = time.perf_counter()
    n = 0
    for r in rows * 5:
        gaz.search(r["spelling"], limit=5)
        n += 1
    print(f"search: {n / (time.perf_counter() - t):.0f} queries/s (warm)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

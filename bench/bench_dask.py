"""Dask engine scaling: parse_dask on a LocalCluster with 1 and then 2 worker processes.

Prints parse seconds (gazetteer load on the workers excluded and shown apart),
MB/s and articles/s per worker count, the speed-up, and what a 1M-article day
needs on a cluster at the measured per-worker rate.

    .venv/bin/python bench/bench_dask.py                   # 2 MB synthetic corpus (env GEOMAP_BENCH_MB)
    .venv/bin/python bench/bench_dask.py --mb 10 --workers 1,2 --partition-size 100
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=float(os.environ.get("GEOMAP_BENCH_MB", 2)))
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--partition-size", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--article-kb", type=float, default=5.0, help="mean article size for the 1M/day estimate")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from corpus import ensure_corpus

    from geomap.parallel import parse_dask

    corpus = ensure_corpus(OUT, mb=args.mb, seed=args.seed)
    rows = []
    for w in (int(x) for x in args.workers.split(",")):
        r = parse_dask([corpus], OUT / f"dask-{w}", partition_size=args.partition_size, n_workers=w)
        r["mb_s"] = round(r["bytes"] / 1e6 / r["seconds"], 3)
        r["articles_s"] = round(r["articles"] / r["seconds"], 1)
        rows.append(r)
        print(f"  {w} worker(s), {r['workers_used']} used: {r['seconds']:.1f} s for {r['articles']} articles "
              f"in {r['partitions']} partitions -> {r['mb_s']} MB/s, {r['articles_s']} articles/s "
              f"(gazetteer load {r['load_seconds']} s)")
    if len(rows) >= 2:
        print(f"  speed-up {rows[0]['workers']} -> {rows[-1]['workers']} workers: "
              f"{rows[-1]['articles_s'] / rows[0]['articles_s']:.2f}x")
    for r in rows:
        r["cpu_mb_s"] = round(r["bytes"] / 1e6 / (r["cpu_ms"] / 1000), 3)
        busy = r["cpu_ms"] / 1000 / (r["seconds"] * r["workers"])
        print(f"  {r['workers']} worker(s): {r['cpu_mb_s']} MB per CPU-second; workers busy {busy:.0%} "
              f"of the wall clock (below 100 %: the machine is shared or partitions are too few)")
    # Capacity: CPU cost per byte, measured above, times a day of articles of the given mean size.
    cpu_mb_s = min(r["cpu_mb_s"] for r in rows)
    for size_kb in (args.article_kb, rows[0]["bytes"] / rows[0]["articles"] / 1000):
        cpu_s = 1_000_000 * size_kb / 1000 / cpu_mb_s
        day, hour = math.ceil(cpu_s / 86400), math.ceil(cpu_s / 3600)
        print(f"  1M articles of {size_kb:.1f} KB: {cpu_s / 3600:.0f} CPU-hours -> {day} worker processes "
              f"for a day, {hour} for one hour")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

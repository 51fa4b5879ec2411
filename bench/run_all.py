"""Run every benchmark in bench/ in turn, at small sizes (what `make bench` runs).

Each ``bench/bench_*.py`` runs in its own process with the arguments below
(unknown new benchmarks run with none), so one failing benchmark does not stop
the others. Sizes come from the environment:

    GEOMAP_BENCH_MB=1             synthetic corpus MB for bench_parse and bench_dask
    GEOMAP_BENCH_MEMORY_MB=20     news-density corpus MB for bench_memory (1000 for the 1 GB run)
    GEOMAP_BENCH_REBUILD_N=1000   articles in the incremental-rebuild benchmark
    GEOMAP_BENCH_EVENTS=5000      events in the site benchmark
    GEOMAP_BENCH_TIMEOUT=900      seconds allowed per benchmark

    .venv/bin/python bench/run_all.py [--only parse,rebuild] [--skip site]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def _args(name: str) -> list[str]:
    mb = os.environ.get("GEOMAP_BENCH_MB", "1")
    return {
        "bench_parse": ["--mb", mb, "--json", str(BENCH / "out" / "parse.json")],
        "bench_dask": ["--mb", mb],
        "bench_rebuild": ["--articles", os.environ.get("GEOMAP_BENCH_REBUILD_N", "1000")],
        "bench_site": ["--events", os.environ.get("GEOMAP_BENCH_EVENTS", "5000")],
        "bench_memory": ["--mb", os.environ.get("GEOMAP_BENCH_MEMORY_MB", "20"),
                         "--json", str(BENCH / "out" / "memory.json")],
    }.get(name, [])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated names without the bench_ prefix")
    ap.add_argument("--skip", help="comma-separated names without the bench_ prefix")
    args = ap.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    skip = set(args.skip.split(",")) if args.skip else set()
    timeout = float(os.environ.get("GEOMAP_BENCH_TIMEOUT", 900))
    (BENCH / "out").mkdir(exist_ok=True)
    failed = []
    for script in sorted(BENCH.glob("bench_*.py")):
        short = script.stem.removeprefix("bench_")
        if (only is not None and short not in only) or short in skip:
            continue
        cmd = [sys.executable, str(script), *_args(script.stem)]
        print(f"\n=== {script.name} {' '.join(cmd[2:])}", flush=True)
        t = time.perf_counter()
        try:
            rc = subprocess.run(cmd, cwd=BENCH.parent, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        status = "ok" if rc == 0 else f"FAILED ({rc})"
        print(f"=== {script.name}: {status} in {time.perf_counter() - t:.0f} s", flush=True)
        if rc != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

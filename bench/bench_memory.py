"""Peak memory of `geomap parse` on a big corpus, the whole process tree sampled while it runs.

Generates (once, then reuses) a news-density synthetic corpus of ``--mb``
megabytes (bench/corpus.py ``--style news``), runs ``geomap parse FILE --jobs N``
in a subprocess with its events streamed to a file, and samples the resident
memory of the parent and every worker twice a second (psutil). Prints the
peak of the sum over the tree, the peak of the largest single process, the
time and the throughput. ``ru_maxrss`` alone would give only the largest
process, not what the machine must hold at once.

    .venv/bin/python bench/bench_memory.py --mb 1000 --jobs 2      # the 1 GB run
    .venv/bin/python bench/bench_memory.py --mb 20 --jobs 2        # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))


def _tree_rss(proc: psutil.Process) -> tuple[int, int, int]:
    """(sum of RSS over the process and its descendants, largest single RSS, number of processes)."""
    procs = [proc]
    try:
        procs += proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    sizes = []
    for p in procs:
        try:
            sizes.append(p.memory_info().rss)
        except psutil.NoSuchProcess:
            continue
    return sum(sizes), max(sizes, default=0), len(sizes)


def run(corpus: Path, jobs: int, interval: float = 0.5) -> dict[str, object]:
    """Parse ``corpus`` with ``geomap parse --jobs`` and sample the tree's memory until it ends."""
    exe = Path(sys.executable).with_name("geomap")
    events_out = OUT / f"{corpus.stem}.events.jsonl"
    t0 = time.perf_counter()
    with open(events_out, "wb") as out, open(OUT / f"{corpus.stem}.stderr", "wb") as err:
        child = subprocess.Popen(
            [str(exe), "parse", str(corpus), "--jobs", str(jobs)], stdout=out, stderr=err
        )
        proc = psutil.Process(child.pid)
        peak_sum = peak_one = 0
        peak_procs = 0
        samples = 0
        while child.poll() is None:
            total, largest, n = _tree_rss(proc)
            peak_sum, peak_one, peak_procs = max(peak_sum, total), max(peak_one, largest), max(peak_procs, n)
            samples += 1
            time.sleep(interval)
    wall = time.perf_counter() - t0
    nbytes = 0
    n_articles = 0
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            nbytes += len(json.loads(line)["text"].encode("utf-8"))
            n_articles += 1
    n_events = sum(1 for _ in open(events_out, encoding="utf-8"))
    return {
        "corpus": str(corpus),
        "corpus_mb": round(nbytes / 1e6, 1),
        "articles": n_articles,
        "events": n_events,
        "jobs": jobs,
        "exit": child.returncode,
        "wall_s": round(wall, 1),
        "mb_s": round(nbytes / 1e6 / wall, 3),
        "articles_s": round(n_articles / wall, 1),
        "peak_tree_rss_mb": round(peak_sum / 2**20),
        "peak_process_rss_mb": round(peak_one / 2**20),
        "processes": peak_procs,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=float(os.environ.get("GEOMAP_BENCH_MEMORY_MB", 20)))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from corpus import ensure_corpus

    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    corpus = ensure_corpus(OUT, mb=args.mb, seed=args.seed, style="news")
    print(f"corpus {corpus} ready in {time.perf_counter() - t:.0f} s", flush=True)
    r = run(corpus, args.jobs)
    print(
        f"geomap parse --jobs {r['jobs']}: {r['corpus_mb']} MB, {r['articles']} articles, "
        f"{r['events']} events "
        f"in {r['wall_s']} s ({r['mb_s']} MB/s, {r['articles_s']} articles/s); peak RSS of the whole "
        f"process tree {r['peak_tree_rss_mb']} MB ({r['processes']} processes), largest process "
        f"{r['peak_process_rss_mb']} MB; exit {r['exit']}"
    )
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    return 0 if r["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

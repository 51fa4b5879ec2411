"""Incremental rebuild: `make site` over N cached articles after adding one (target < 5 s at 10k).

Steps: (1) parse N synthetic articles into a :class:`~geomap.cache.ResultCache`
(cold, with ``--jobs``; skipped when the cache already holds them), (2) build
the site of the N articles with :func:`geomap.pipeline.build_site` (results
from the cache; this is the "previous site"), (3) add one new article and
build again: the rebuild that is timed, split into the steps of
``BuildSummary.timings`` (read the inputs and the gazetteer, parse the new
article, reuse or make the articles' parts, merge events reported by several
articles, search names, render), with wall and CPU (``time.process_time``)
seconds, since the machine is shared; (4) the same as a user meets it: ``geomap
build`` in a new process after adding another article, start to exit (the
target's measure: interpreter, imports and the gazetteer load included).

The gazetteer and code versions of the cache namespace are pinned to the
ones the bench's cache was filled with (``rebuild-cache/bench-versions``), so
that a rebuilt index or edits elsewhere in the parser do not force a new cold
build of 10k articles (minutes); the cached results may then come from a
slightly older parser, which is fine for timing. ``--fresh`` uses the current
versions (and fills a new namespace).

    .venv/bin/python bench/bench_rebuild.py                 # 1,000 articles (env GEOMAP_BENCH_REBUILD_N)
    .venv/bin/python bench/bench_rebuild.py --articles 10000 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))


def _pinned_versions(cache_root: Path, fresh: bool) -> tuple[str, str]:
    """(gazetteer, code) versions the bench cache was filled with (recorded on first use), or the current."""
    from geomap.cache import code_version
    from geomap.gazetteer import Gazetteer

    pin = cache_root / "bench-versions"
    if not fresh and pin.is_file():
        gaz, code = pin.read_text(encoding="utf-8").split()
        return gaz, code
    gaz, code = Gazetteer.load().version, code_version()
    cache_root.mkdir(parents=True, exist_ok=True)
    pin.write_text(f"{gaz} {code}\n", encoding="utf-8")
    return gaz, code


def _build(inputs: list[Path], out: Path, cache) -> tuple[dict[str, float], float, float]:  # noqa: ANN001
    """``build_site``; returns (its step timings, wall, cpu)."""
    from geomap import pipeline

    t, c = time.perf_counter(), time.process_time()
    summary = pipeline.build_site(inputs, out, cache=cache)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    tm = dict(summary.timings)
    tm["events"], tm["articles"] = summary.events, summary.articles
    return tm, wall, cpu


def _build_process(inputs: list[Path], site: Path, cache_root: Path, seed: int) -> float:
    """Wall seconds of ``geomap build INPUTS NEW --out SITE`` in a new process, one new article added.

    The process finds the bench's cache as ``$GEOMAP_HOME/cache`` and the built index where
    this process has it (``GEOMAP_INDEX``).
    """
    from corpus import articles as synth_articles
    from corpus import load_pools

    from geomap import config
    from geomap.gazetteer import Gazetteer

    home = cache_root.parent / "rebuild-home"
    home.mkdir(exist_ok=True)
    # the bench's cache, and the npm assets a user's home holds already (else the first run installs them)
    for name, target in (("cache", cache_root), ("npm", config.home() / "npm")):
        link = home / name
        if not link.is_symlink():
            link.symlink_to(os.path.abspath(target))
    new = next(synth_articles(load_pools(seed=seed), seed=seed))
    new["id"] = f"new-{time.time_ns()}"
    extra = OUT / "rebuild-new-process.jsonl"
    extra.write_text(json.dumps(new) + "\n", encoding="utf-8")
    env = {**os.environ, "GEOMAP_HOME": str(home), "GEOMAP_INDEX": str(Gazetteer.load().path)}
    geomap = Path(sys.executable).with_name("geomap")
    cmd = [str(geomap), "build", *map(str, inputs), str(extra), "--out", str(site)]
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=int(os.environ.get("GEOMAP_BENCH_REBUILD_N", 1000)))
    ap.add_argument("--jobs", type=int, default=2, help="processes for the cold build")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fresh", action="store_true", help="use the current code version for the cache")
    ap.add_argument("--process-runs", type=int, default=3, help="rebuilds timed as a `geomap build` process")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from corpus import articles as synth_articles
    from corpus import ensure_corpus, load_pools

    from geomap.cache import ResultCache, code_version
    from geomap.parallel import process_articles, stream_articles

    corpus = ensure_corpus(OUT, n_articles=args.articles, seed=args.seed)
    root = OUT / "rebuild-cache"
    version, code = _pinned_versions(root, args.fresh)
    cache = ResultCache(root, version, code_version=code)
    report: dict[str, object] = {"articles": args.articles, "cpus": os.cpu_count(), "code_version": code,
                                 "gazetteer_version": version}

    # 1. cold build (skipped when a previous run filled the cache)
    t = time.perf_counter()
    n = sum(1 for _ in process_articles(stream_articles([corpus]), jobs=args.jobs, cache=cache))
    report["cold_build_s"] = round(time.perf_counter() - t, 2)
    report["cold_cache_hits"] = cache.hits
    print(f"cache of {n} articles with --jobs {args.jobs}: {report['cold_build_s']} s "
          f"({cache.hits} were cached already; versions: gazetteer {version}, code {code})")

    # 2. the previous site: all N articles, every result from the cache
    site = OUT / "rebuild-site"
    shutil.rmtree(site, ignore_errors=True)
    tm, wall, cpu = _build([corpus], site, ResultCache(root, version, code_version=code))
    report["previous_build_s"], report["previous_build_cpu_s"] = round(wall, 2), round(cpu, 2)
    print(f"previous site ({tm['articles']} articles, no site before): {wall:.2f} s, CPU {cpu:.2f} s")

    # 3. one new article, then the rebuild
    new = next(synth_articles(load_pools(seed=args.seed + 1), seed=args.seed + 1))
    new["id"] = f"new-{time.time_ns()}"  # new every run, so the rebuild always parses one article
    extra = OUT / "rebuild-new.jsonl"
    extra.write_text(json.dumps(new) + "\n", encoding="utf-8")
    cache = ResultCache(root, version, code_version=code)
    tm, wall, cpu = _build([corpus, extra], site, cache)
    split = {k: round(tm[k], 2) for k in ("read", "parse", "parts", "merge", "search_names", "render")}
    report.update(rebuild_articles=tm["articles"], rebuild_parsed=cache.misses,
                  rebuild_results_loaded=cache.hits, rebuild_events=tm["events"], rebuild_split_s=split,
                  rebuild_total_s=round(wall, 2), rebuild_total_cpu_s=round(cpu, 2))
    print(f"rebuild: {tm['articles']} articles, {cache.misses} parsed, {cache.hits} results loaded from the "
          f"cache (merged events, changed pages), {tm['events']} events")
    print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"rebuild inside this process: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"peak RSS {report['peak_rss_mb']} MB")

    # 4. the same as a user runs it: `geomap build` as a new process (interpreter, imports, exit)
    if code == code_version():
        runs = [_build_process([corpus, extra], site, root, args.seed + 2 + k)
                for k in range(args.process_runs)]
        report["process_rebuild_s"] = [round(r, 2) for r in runs]
        print(f"rebuild as a process (`geomap build`, start to exit), {len(runs)} runs: "
              + ", ".join(f"{r:.2f}" for r in runs) + " s wall (target < 5 s at 10k articles)")
    else:
        print("rebuild as a process: skipped (the cache was filled by other parser code; --fresh refills it)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

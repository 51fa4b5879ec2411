"""Incremental rebuild: a site of N cached articles after adding one article (target < 5 s at 10k).

Steps: (1) parse N synthetic articles into a :class:`~geomap.cache.ResultCache`
(cold, with ``--jobs``; skipped when the cache already holds them), (2) add one
new article and rebuild: read the corpus, take N results from the cache, parse
the one new article (this loads the gazetteer), dedupe, and render the site
as ``build_site`` does. Prints the time of each step.

    .venv/bin/python bench/bench_rebuild.py                 # 1,000 articles (env GEOMAP_BENCH_REBUILD_N)
    .venv/bin/python bench/bench_rebuild.py --articles 10000 --jobs 2
    .venv/bin/python bench/bench_rebuild.py --no-render     # parse-with-cache only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))


def render(results: list, gaz, out: Path) -> dict[str, float]:  # noqa: ANN001 - Gazetteer
    """The rendering half of ``geomap.pipeline.build_site``, on results already parsed."""
    from geomap import events as events_stage
    from geomap.render import render_site

    t = time.perf_counter()
    events = events_stage.dedupe([e for r in results for e in r.events])
    mentions = [m for r in results for m in r.mentions]
    articles = [r.article for r in results]
    place_ids = sorted({e.place_id for e in events})
    search_names = {pid: gaz.aliases(pid) for pid in place_ids}
    boundaries = {k: b for k in ("countries", "adm1") if (b := gaz.boundaries(k)) is not None}
    prep = time.perf_counter() - t
    t = time.perf_counter()
    render_site(events, mentions, articles, out, boundaries=boundaries or None, search_names=search_names,
                build_info={"gazetteer_version": gaz.version, "inputs": ["bench"]})
    return {"dedupe_names_s": round(prep, 2), "render_s": round(time.perf_counter() - t, 2),
            "events": len(events), "places": len(place_ids)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=int(os.environ.get("GEOMAP_BENCH_REBUILD_N", 1000)))
    ap.add_argument("--jobs", type=int, default=2, help="processes for the cold build")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-render", action="store_true", help="measure parse-with-cache only")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from corpus import articles as synth_articles
    from corpus import ensure_corpus, load_pools

    from geomap.cache import ResultCache
    from geomap.gazetteer import Gazetteer
    from geomap.parallel import process_articles, stream_articles

    corpus = ensure_corpus(OUT, n_articles=args.articles, seed=args.seed)
    version = Gazetteer.load().version
    cache = ResultCache(OUT / "rebuild-cache", version)
    report: dict[str, object] = {"articles": args.articles, "cpus": os.cpu_count()}

    # 1. cold build (skipped when a previous run filled the cache)
    t = time.perf_counter()
    n = sum(1 for _ in process_articles(stream_articles([corpus]), jobs=args.jobs, cache=cache))
    report["cold_build_s"] = round(time.perf_counter() - t, 2)
    report["cold_cache_hits"] = cache.hits
    print(f"build of {n} articles with --jobs {args.jobs}: {report['cold_build_s']} s "
          f"({cache.hits} were cached already)")

    # 2. one new article, then the rebuild
    new = next(synth_articles(load_pools(seed=args.seed + 1), seed=args.seed + 1))
    new["id"] = f"new-{time.time_ns()}"  # new every run, so the rebuild always parses one article
    extra = OUT / "rebuild-new.jsonl"
    extra.write_text(json.dumps(new) + "\n", encoding="utf-8")
    cache = ResultCache(OUT / "rebuild-cache", version)
    t0 = time.perf_counter()
    results = list(process_articles(stream_articles([corpus, extra]), jobs=1, cache=cache))
    parse_s = time.perf_counter() - t0
    report.update(rebuild_articles=len(results), rebuild_parsed=cache.misses, rebuild_cache_hits=cache.hits,
                  rebuild_parse_s=round(parse_s, 2))
    print(f"rebuild: {len(results)} articles, {cache.hits} from the cache, {cache.misses} parsed: "
          f"{parse_s:.2f} s (includes loading the gazetteer for the new one)")
    if not args.no_render:
        try:
            import geomap.render  # noqa: F401
        except ImportError as exc:
            print(f"render skipped: geomap.render not available ({exc})")
        else:
            r = render(results, Gazetteer.load(), OUT / "rebuild-site")
            report.update(r)
            print(f"  dedupe + search names {r['dedupe_names_s']} s, render_site {r['render_s']} s "
                  f"({r['events']} events, {r['places']} places)")
    total = time.perf_counter() - t0
    report["rebuild_total_s"] = round(total, 2)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    what = "parse with cache" if args.no_render else "parse with cache + site"
    print(f"rebuild total ({what}): {total:.2f} s (target < 5 s at 10k articles), "
          f"peak RSS {report['peak_rss_mb']} MB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `geomap` command: a thin layer over the Python API.

User mistakes (missing files, unbuilt gazetteer, bad arguments) print one
line to stderr and exit non-zero, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_USAGE = 2
EXIT_FAIL = 1


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geomap",
        description="Conflict-mapping geoparser for news about the war in "
        "Ukraine: articles in, an offline map site out.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse articles and build the static map site")
    b.add_argument("inputs", nargs="*", default=["seeds"], help="files or directories (default: seeds/)")
    b.add_argument("--out", default="site", help="output directory (default: site/)")
    b.add_argument("--jobs", type=int, default=1, help="parse with N processes (0: one per CPU)")
    b.add_argument("--no-cache", action="store_true", help="reparse every article (ignore the result cache)")
    b.add_argument(
        "--online",
        choices=["nominatim", "photon", "geonames"],
        help="opt-in: ask this online geocoder about names the gazetteer cannot place",
    )

    pa = sub.add_parser("parse", help="parse articles; records to stdout")
    pa.add_argument("inputs", nargs="+", help='files, directories, or "-" for JSONL on stdin')
    pa.add_argument("--mentions", action="store_true", help="one record per mention instead of per event")
    pa.add_argument("--format", choices=["jsonl", "csv", "geojson"], default="jsonl")
    pa.add_argument("--dedupe", action="store_true", help="merge the same event reported by several articles")
    pa.add_argument("--jobs", type=int, default=1, help="parse with N processes (0: one per CPU)")
    pa.add_argument(
        "--cache", action="store_true", help="reuse and store per-article results ($GEOMAP_HOME/cache)"
    )
    pa.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="dask: parse JSONL/Parquet inputs on a Dask cluster into Parquet partitions (--out-dir)",
    )
    pa.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    pa.add_argument("--out-dir", help="with --engine dask: directory for the Parquet partitions of events")
    pa.add_argument(
        "--online",
        choices=["nominatim", "photon", "geonames"],
        help="opt-in: ask this online geocoder about names the gazetteer cannot place",
    )

    g = sub.add_parser("geocode", help="look a name up in the gazetteer")
    g.add_argument("name")
    g.add_argument("--country", help="ISO country code filter, e.g. UA")
    g.add_argument("--admin1", help="oblast/region filter, any spelling")
    g.add_argument("--near", help="LAT,LON: prefer places near this point")
    g.add_argument("--radius", type=float, default=None, help="km around --near (filter)")
    g.add_argument("--limit", type=int, default=5)
    g.add_argument("--json", action="store_true", help="JSON output (default is a table)")

    gz = sub.add_parser("gazetteer", help="gazetteer index commands")
    gz_sub = gz.add_subparsers(dest="gaz_command", required=True)
    gb = gz_sub.add_parser("build", help="build the gazetteer index from sources")
    gb.add_argument("--sources", help="raw sources directory (default: $GEOMAP_SOURCES)")
    gb.add_argument("--out", help="index directory (default: .geomap/gazetteer)")
    gb.add_argument("--if-missing", action="store_true", help="do nothing when an index exists")
    gb.add_argument(
        "--force", action="store_true", help="replace an index built from raw sources with one built without"
    )
    gz_sub.add_parser("info", help="print version and coverage of the built index")

    e = sub.add_parser("eval", help="score the pipeline against gold files")
    e.add_argument("gold", nargs="+", help="seeds_gold.json and/or ACLED-style CSV files")
    e.add_argument("--seeds-dir", default="seeds", help="where the seed articles are (for seeds_gold.json)")
    e.add_argument("--json-out", help="write the scores as JSON here")
    e.add_argument("--limit", type=int, help="only the first N rows of each CSV")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `geomap` command."""
    args = _parser().parse_args(argv)
    from geomap.gazetteer import GazetteerNotBuilt
    from geomap.ingest import InputError
    from geomap.pipeline import NothingToBuild

    try:
        return _COMMANDS[args.command](args)
    except (GazetteerNotBuilt, InputError, NothingToBuild, ValueError) as exc:
        print(f"geomap: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:  # `geomap parse ... | head`
        return 0
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130


def _cmd_build(args: argparse.Namespace) -> int:
    from geomap.pipeline import build_site

    summary = build_site(
        args.inputs, args.out, online=args.online, jobs=args.jobs, use_cache=not args.no_cache
    )
    for s in summary.skipped:
        print(f"geomap: skipped {s}", file=sys.stderr)
    index = (summary.out_dir / "index.html").resolve()
    print(f"site: {index}")
    print(summary.line())
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from geomap import events as events_stage
    from geomap.ingest import Skipped
    from geomap.model import mention_record
    from geomap.pipeline import parse_stream

    if args.engine == "dask":
        return _parse_dask(args)
    cache = None
    if args.cache:
        from geomap.cache import ResultCache, default_cache_dir
        from geomap.gazetteer import Gazetteer

        cache = ResultCache(default_cache_dir(), Gazetteer.load().version)
    skipped: list[Skipped] = []
    # Streamed: one article's records at a time, so a corpus of any size parses in bounded memory
    # (--dedupe must see all events first; it holds those, not the articles).
    results = parse_stream(args.inputs, online=args.online, jobs=args.jobs, cache=cache, skipped=skipped)
    n_articles = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal n_articles
        if args.dedupe and not args.mentions:
            events = []
            for res in results:
                n_articles += 1
                events.extend(res.events)
            yield from (e.to_record() for e in events_stage.dedupe(events))
            return
        for res in results:
            n_articles += 1
            if args.mentions:
                yield from (mention_record(m) for m in res.mentions)
            else:
                yield from (e.to_record() for e in res.events)

    _write_records(rows(), args.format, sys.stdout)
    for s in skipped:
        print(f"geomap: skipped {s}", file=sys.stderr)
    if not n_articles and skipped:
        return EXIT_FAIL
    return 0


def _write_records(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write records as JSON lines, CSV or a GeoJSON FeatureCollection, as they come."""
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from geomap.render._exports import csv_header, csv_lines

        # The site's CSV writer: text cells starting like a formula ("=HYPERLINK(...)" in a quoted
        # headline) are defused for spreadsheets; lists and dicts are written as JSON.
        columns: tuple[str, ...] | None = None
        batch: list[dict[str, Any]] = []
        for r in rows:
            if columns is None:
                columns = tuple(r)
                out.write(csv_header(columns))
            batch.append(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for k, v in r.items()
                }
            )
            if len(batch) >= 1000:
                out.writelines(csv_lines(batch, columns))
                batch.clear()
        if batch and columns is not None:
            out.writelines(csv_lines(batch, columns))
    else:
        out.write('{"type": "FeatureCollection", "features": [')
        first = True
        for r in rows:
            if r.get("latitude") is None:
                continue
            props = {k: v for k, v in r.items() if k not in ("latitude", "longitude")}
            feat = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                "properties": props,
            }
            out.write(("" if first else ", ") + json.dumps(feat, ensure_ascii=False))
            first = False
        out.write("]}\n")


def _parse_dask(args: argparse.Namespace) -> int:
    from geomap.parallel import parse_dask

    if not args.out_dir:
        raise ValueError("--engine dask writes Parquet partitions: give --out-dir DIR")
    inputs = [Path(p) for p in args.inputs]
    for p in inputs:
        if not p.exists():
            raise ValueError(f"{p}: no such file or directory")
    report = parse_dask(inputs, Path(args.out_dir), scheduler=args.scheduler)
    print(json.dumps(report, indent=1, default=str))
    return 0


def _cmd_geocode(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer

    near = None
    if args.near:
        try:
            lat, lon = (float(x) for x in args.near.split(","))
        except ValueError:
            raise ValueError(f"--near {args.near!r}: expected LAT,LON such as 48.59,38.0") from None
        near = (lat, lon)
    gaz = Gazetteer.load()
    cands = gaz.search(
        args.name,
        country=args.country,
        admin1=args.admin1,
        near=near,
        radius_km=args.radius,
        limit=args.limit,
    )
    rows = [
        {
            "place_id": c.place.place_id,
            "name": c.place.name,
            "latitude": c.place.latitude,
            "longitude": c.place.longitude,
            "country_code": c.place.country_code,
            "admin1": c.place.admin1,
            "admin2": c.place.admin2,
            "feature": c.place.feature,
            "population": c.place.population,
            "score": round(c.score, 3),
            "matched_alias": c.alias,
        }
        for c in cands
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(
                f"{r['score']:.3f}  {r['name']:<28} {r['admin1'] or '':<18} {r['country_code']}  "
                f"{r['latitude']:.4f},{r['longitude']:.4f}  {r['feature']:<10} {r['place_id']}  "
                f"(via {r['matched_alias']})"
            )
    return 0 if rows else EXIT_FAIL


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    from geomap import config
    from geomap.gazetteer import Gazetteer, build_gazetteer

    if args.gaz_command == "info":
        gaz = Gazetteer.load()
        print(json.dumps({"version": gaz.version, "coverage": gaz.coverage}, indent=1, ensure_ascii=False))
        return 0
    out = Path(args.out) if args.out else config.index_dir()
    if args.if_missing:
        try:
            Gazetteer.load(out)
            print(f"gazetteer: up to date at {out}")
            return 0
        except Exception:  # noqa: BLE001 - missing or unreadable: rebuild
            pass
    sources = Path(args.sources) if args.sources else config.sources_dir()
    if sources is not None and not sources.is_dir():
        raise ValueError(f"{sources}: gazetteer sources directory not found")
    if sources is None and not args.force:
        try:
            had = Gazetteer.load(out).coverage.get("sources")
        except Exception:  # noqa: BLE001 - no usable index: nothing to lose
            had = None
        if had:
            raise ValueError(
                f"{out}: this index was built from raw sources; rebuilding without them would drop villages "
                "and boundaries: set GEOMAP_SOURCES or pass --sources DIR (or --force)"
            )
    report = build_gazetteer(sources, out)
    missing = report.get("missing") or []
    for line in missing:
        print(f"geomap: coverage missing: {line}", file=sys.stderr)
    print(f"gazetteer: {out}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from geomap.evaluate import run_eval

    return run_eval(args.gold, seeds_dir=Path(args.seeds_dir), json_out=args.json_out, limit=args.limit)


_COMMANDS = {
    "build": _cmd_build,
    "parse": _cmd_parse,
    "geocode": _cmd_geocode,
    "gazetteer": _cmd_gazetteer,
    "eval": _cmd_eval,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

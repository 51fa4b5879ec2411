"""Where a bare name lands: front-line villages and large towns, one template sentence each.

Generated from the built gazetteer (no text is shipped): a sample of the Ukrainian settlements
within 15 km of the line of contact of a date, each in "Russian forces shelled {name} on Monday."
and in "... {name}, {oblast} oblast, ..."; and every Ukrainian town of 50,000 or more in
"Russian forces attacked {name} overnight.". Prints the share placed at the place itself (its
record, or one within ~5 km: GeoNames keeps old and new records of a village), left ambiguous,
or placed elsewhere.

    .venv/bin/python bench/bench_places.py [--sample 400] [--date 2024-05-01] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import date


def _placed(result, name: str, place_id: str, lat: float, lon: float) -> str:  # noqa: ANN001
    ms = [m for m in result.mentions if m.text == name]
    if not ms:
        return "missed"
    m = ms[0]
    if m.place is None:
        return m.status  # ambiguous / unresolved
    near = abs(m.place.latitude - lat) + abs(m.place.longitude - lon) < 0.05
    return "at the place" if m.place.place_id == place_id or near else "elsewhere"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--date", type=date.fromisoformat, default=date(2024, 5, 1))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    from geomap._frontline import km_to_front
    from geomap.gazetteer import Gazetteer
    from geomap.ingest import make_article
    from geomap.pipeline import Pipeline

    gaz = Gazetteer.load()
    pipe = Pipeline(gaz)
    rows = gaz._q(  # noqa: SLF001 - a benchmark reads the index directly
        "SELECT place_id, name, lat, lon, admin1, population FROM places "
        "WHERE feature='settlement' AND cc='UA'"
    )
    front = [r for r in rows if km_to_front(r[2], r[3], args.date) < 15]
    sample = random.Random(args.seed).sample(front, min(args.sample, len(front)))

    def run(template: str, places: list) -> Counter:  # noqa: ANN001
        out: Counter = Counter()
        for pid, name, lat, lon, admin1, _pop in places:
            text = template.format(name=name, oblast=admin1)
            res = pipe.process(make_article("bench", text, title="", published=args.date))
            out[_placed(res, name, pid, lat, lon)] += 1
        return out

    def show(label: str, counts: Counter, n: int) -> None:
        parts = ", ".join(f"{k} {v} ({v / n:.1%})" for k, v in counts.most_common())
        print(f"  {label}: {parts}")

    print(
        f"{len(front)} Ukrainian settlements within 15 km of the line of contact of {args.date}; "
        f"sample {len(sample)}"
    )
    show("bare name", run("Russian forces shelled {name} on Monday.", sample), len(sample))
    qualified = run("Russian forces shelled {name}, {oblast} oblast, on Monday.", sample)
    show("with its oblast", qualified, len(sample))
    towns = [r for r in rows if r[5] >= 50_000]
    print(f"{len(towns)} Ukrainian settlements of 50,000 or more (city districts included)")
    show("bare name", run("Russian forces attacked {name} overnight.", towns), len(towns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

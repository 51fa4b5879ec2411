"""How far the 25 km ACLED score can rise with these sources: misses no rule can fix.

Reads the scores ``geomap eval --json-out`` wrote for an ACLED-style CSV and sorts the rows missed
beyond 25 km (or with no event) into: a place name no settlement within 25 km of ACLED's point bears
(rapidfuzz ratio >= 80 or the same phonetic skeleton), and a name that a place at ACLED's point and
another more than 25 km away, also within 30 km of the line of contact of the note's date and in the
oblast the note names, both bear, so that nothing in the note chooses between them.

    geomap eval ../shared/eval/acled_ukraine_dev.csv --json-out bench/out/eval.json
    .venv/bin/python bench/acled_ceiling.py bench/out/eval.json ../shared/eval/acled_ukraine_dev.csv
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from rapidfuzz.fuzz import ratio

from geomap._frontline import km_to_front
from geomap._geo import haversine_km
from geomap._text import norm_key
from geomap.evaluate import _row_date
from geomap.gazetteer import Gazetteer
from geomap.translit import skeleton


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scores", type=Path, help="the JSON of geomap eval --json-out")
    ap.add_argument("csv", type=Path, help="the ACLED-style CSV it scored")
    args = ap.parse_args(argv)
    g = Gazetteer.load()
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(args.csv.open(encoding="utf-8"))}
    scores = json.loads(args.scores.read_text(encoding="utf-8"))[args.csv.name]
    misses = [m for m in scores["misses"] if m["why"] == "no event" or float(m["why"].split()[0]) > 25]
    absent = shared = 0
    fair = 0.0
    for m in misses:
        r = rows[m["id"]]
        lat, lon, when = float(r["latitude"]), float(r["longitude"]), _row_date(r)
        name = r["location"].split(" - ")[-1]
        key, sk = norm_key(name), skeleton(name)
        near = g.reverse((lat, lon), exactly_one=False, radius_km=25, limit=400) or []
        if not any(
            ratio(key, norm_key(a)) >= 80 or (sk and skeleton(a) == sk)
            for loc in near
            for a in g.aliases(loc.raw["place_id"])
        ):
            absent += 1
            continue
        oblast = r["admin1"] if f", {r['admin1']}" in r["notes"] else None
        places = {h.place_id: g.place(h.place_id) for h in g.lookup(key) + g.lookup_skeleton(name)}
        cands = [
            p for p in places.values()
            if p.feature == "settlement" and p.country_code == "UA" and oblast in (None, p.admin1)
        ]
        right = [p for p in cands if haversine_km(p.latitude, p.longitude, lat, lon) <= 25]
        wrong = {
            (round(p.latitude), round(p.longitude))
            for p in cands
            if haversine_km(p.latitude, p.longitude, lat, lon) > 25
            and km_to_front(p.latitude, p.longitude, when) <= 30
        }
        if right and wrong:
            shared += 1
            fair += 1 / (1 + len(wrong))
    n = scores["precise_rows"]
    lost = absent + shared - fair
    print(f"{len(misses)} of {n} rows beyond 25 km or without an event")
    print(f"  {absent}: no settlement within 25 km of ACLED's point bears the name")
    print(f"  {shared}: one of several namesakes near the front of the day, nothing in the note to choose "
          f"(a fair choice gets {fair:.0f} right)")
    print(f"  ceiling within 25 km with these sources: {1 - lost / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

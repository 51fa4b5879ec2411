"""Time geomap.translit on real gazetteer names (not a test: prints numbers).

Usage: .venv/bin/python bench/bench_translit.py [../shared]
Reads GeoNames UA.zip and the HDX settlements from ../shared/gazetteer-src (never copied).
"""

from __future__ import annotations

import csv
import io
import sys
import time
import zipfile
from pathlib import Path

from geomap import translit
from geomap.translit import is_russian, is_ukrainian, romanizations, skeleton


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1].parent / "shared"
    src = shared / "gazetteer-src"
    pairs: list[tuple[str | None, str | None]] = []
    with (src / "hdx" / "cod_settlements_ua.tsv").open(encoding="utf-8") as fh:
        pairs += [(r["name_uk"], None) for r in csv.DictReader(fh, delimiter="\t")]
    with zipfile.ZipFile(src / "geonames" / "UA.zip") as zf, zf.open("UA.txt") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            alts = line.split("\t")[3].split(",")
            uks = [a for a in alts if is_ukrainian(a)]
            rus = [a for a in alts if is_russian(a)]
            if uks or rus:
                pairs.append((uks[0] if uks else None, rus[0] if rus else None))
    distinct = len(set(pairs))
    translit._romanizations.cache_clear()
    t0 = time.perf_counter()
    n_var = 0
    variants: set[str] = set()
    for uk, ru in pairs:
        rom = romanizations(uk, ru)
        n_var += len(rom)
        variants.update(v for v, _, _ in rom)
    t1 = time.perf_counter()
    skeleton.cache_clear()
    for v in variants:
        skeleton(v)
    t2 = time.perf_counter()
    print(f"romanizations: {len(pairs)} calls ({distinct} distinct) in {t1 - t0:.2f} s, "
          f"{n_var / len(pairs):.1f} variants per name")
    print(f"skeleton: {len(variants)} distinct variants in {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()

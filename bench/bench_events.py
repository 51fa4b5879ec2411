"""Throughput of geomap.events.extract_events on the dev articles (../shared/eval/articles_dev).

Usage: .venv/bin/python bench/bench_events.py

No gazetteer is needed: every capitalised word that is not sentence-initial is
made a resolved mention of a dummy place, a harsher load than real text (far
more mentions than real place names).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from geomap import events
from geomap.dates import find_dateline, infer_publication_date
from geomap.events import extract_events
from geomap.model import Article, Mention, Place

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "articles_dev"
_CAP = re.compile(r"(?<=[a-z,] )(?P<name>[A-Z][a-z]{3,})")
#: Closer to real place density: capitalised words after a locative preposition.
_LOC = re.compile(r"\b(?:in|near|of|on|at|over|around) (?P<name>[A-Z][a-z]{3,})")


def run(pattern: re.Pattern[str], label: str) -> None:
    """Time extract_events with mentions at every match of ``pattern``."""
    arts, mentions = [], []
    for f in sorted(ARTICLES.glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        pub = find_dateline(text) or infer_publication_date(text)[0]
        arts.append(Article(f.stem, text, published=pub))
        ms = []
        for m in pattern.finditer(text):
            b, e = m.span("name")
            p = Place("dummy:" + text[b:e], text[b:e], 48.0, 37.0, "settlement", "UA")
            ms.append(
                Mention(
                    f.stem,
                    m.group(0),
                    m.start(),
                    m.end(),
                    "exact",
                    status="resolved",
                    place=p,
                    confidence=0.9,
                    geo_precision=1,
                )
            )
        mentions.append(ms)
    size = sum(len(a.text.encode()) for a in arts)
    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared; caches cleared so each run is cold
        for f in (events._weapons, events._speaker, events.count_fatalities, events.count_injured):
            f.cache_clear()
        t0 = time.perf_counter()
        n = sum(len(extract_events(a, ms)) for a, ms in zip(arts, mentions, strict=True))
        best = min(best, time.perf_counter() - t0)
    dt = best
    print(
        f"{label}: {len(arts)} articles, {size / 1e6:.2f} MB, {sum(map(len, mentions))} mentions"
        f" -> {n} records, {size / dt / 1e6:.2f} MB/s"
    )


def main() -> int:
    if not ARTICLES.exists() or not any(ARTICLES.glob("*.txt")):
        print(f"no articles at {ARTICLES}", file=sys.stderr)
        return 2
    run(_LOC, "locative mentions (realistic)")
    run(_CAP, "every capitalised word (worst case)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
